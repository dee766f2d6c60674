package dev.ich.inference;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the service cannot answer with predictions: an HTTP status, a problem code machines filter on
 * (a {@link dev.ich.core.dicom.DicomProblem} name, {@code NoModel}, {@code TooLarge}, ...) and a reason a person
 * can act on. The ich API answers {@code {"status", "problem", "reason"}}; the Open Inference Protocol resource
 * turns it into its own {@code {"error": "..."}}.
 */
public class RequestProblem extends RuntimeException {
    private final int status;
    private final String problem;

    public RequestProblem(int status, String problem, String reason) {
        super(reason);
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    public String problem() {
        return problem;
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("problem", problem);
        body.put("reason", getMessage());
        return body;
    }

    @Provider
    public static class Mapper implements ExceptionMapper<RequestProblem> {
        @Override
        public Response toResponse(RequestProblem e) {
            Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(e.body());
            if (e.status() == 503) r.header("Retry-After", "5");
            return r.build();
        }
    }
}

package dev.ich.labeling;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A request the service cannot serve, with a status and a reason a person can act on. */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public static ApiException badRequest(String reason) {
        return new ApiException(400, reason);
    }

    public static ApiException notFound(String reason) {
        return new ApiException(404, reason);
    }

    public int status() {
        return status;
    }

    /** The JSON body of every error answer: {@code {"status": 400, "reason": "..."}}. */
    public record Body(int status, String reason) {
    }

    @Provider
    public static class Mapper implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(new Body(e.status(), e.getMessage())).build();
        }
    }
}

package dev.ich.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A request the service cannot serve, with a status, a reason a person can act on and, for a bad spec, the field. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String field, String reason) {
        super(reason);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String reason) {
        return new ApiException(400, null, reason);
    }

    /** A well-formed spec with a value the service refuses (unknown dataset, epochs out of range, ...). */
    public static ApiException invalid(String field, String reason) {
        return new ApiException(422, field, reason);
    }

    public static ApiException notFound(String reason) {
        return new ApiException(404, null, reason);
    }

    public static ApiException conflict(String reason) {
        return new ApiException(409, null, reason);
    }

    public int status() {
        return status;
    }

    /**
     * The JSON body of every error answer: {@code {"status": 422, "field": "epochs", "reason": "..."}}; {@code field}
     * only when one field of the request is to blame.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(int status, String field, String reason) {
    }

    @Provider
    public static class Mapper implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(new Body(e.status(), e.field, e.getMessage())).build();
        }
    }
}

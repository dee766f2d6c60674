package dev.ich.cleaning;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** JSON errors with a reason a person can act on (design.md, "HTTP"). */
final class Problems {
    private Problems() {
    }

    static WebApplicationException badRequest(String reason) {
        return of(Response.Status.BAD_REQUEST, reason);
    }

    static WebApplicationException notFound(String reason) {
        return of(Response.Status.NOT_FOUND, reason);
    }

    static WebApplicationException of(Response.Status status, String reason) {
        return new WebApplicationException(reason, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status.getStatusCode(), "reason", reason)).build());
    }
}

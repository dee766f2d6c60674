package dev.ich.ingest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Every error body of this service: a code to branch on and a reason a person can act on. */
public record ApiError(String error, String reason) {

    static Response response(int status, String error, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(error, reason)).build();
    }
}

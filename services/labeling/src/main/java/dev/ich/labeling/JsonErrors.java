package dev.ich.labeling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request body that is not the JSON a resource expects: 400 with Jackson's own words (field, line,
 * column). Mismatched input (a misspelt field, a string for a number) has a built-in mapper with an empty
 * body; this one replaces it so the caller learns which field is wrong.
 */
public class JsonErrors {
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return answer(e);
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return answer(e);
    }

    /** The JSON reader wraps parse errors in a bare 400; unwrap them, leave every other answer as it was. */
    @ServerExceptionMapper
    public Response wrapped(WebApplicationException e) {
        return e.getCause() instanceof JsonProcessingException j ? answer(j) : e.getResponse();
    }

    private static Response answer(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new ApiException.Body(400, "the request body is not valid JSON for this endpoint: " + e.getOriginalMessage() + where))
                .build();
    }
}

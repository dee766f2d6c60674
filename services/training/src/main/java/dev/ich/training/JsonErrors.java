package dev.ich.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/**
 * A request body that is not the JSON a resource expects: 400 with Jackson's own words and the field's path
 * (a misspelt field, a string for a number), as labeling answers them.
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

    static Response answer(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[")
                : null;
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new ApiException.Body(400, field, "the request body is not valid JSON for this endpoint: " + e.getOriginalMessage() + where))
                .build();
    }
}

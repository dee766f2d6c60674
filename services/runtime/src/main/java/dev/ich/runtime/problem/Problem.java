package dev.ich.runtime.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The one error body of every ich service: RFC 9457 {@code application/problem+json}. {@code type} is a URN per
 * {@code code} (stable, never a dead link), {@code title} the HTTP reason phrase, {@code detail} a reason a person
 * can act on, {@code instance} the request path. Extensions: {@code code} (what a program branches on),
 * {@code field} (the request field at fault, when one is) and {@code roles} (on 403: the roles that would allow
 * the call).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = Problem.SCHEMA, description = "RFC 9457 problem details: every error answer of every ich service")
public record Problem(
        @Schema(required = true, description = "urn:ich:problem:<code>") String type,
        @Schema(required = true, description = "the HTTP reason phrase") String title,
        @Schema(required = true, description = "the HTTP status") int status,
        @Schema(description = "why, in words a person can act on") String detail,
        @Schema(description = "the request path") String instance,
        @Schema(required = true, description = "what a program branches on: NotFound, InvalidField, Unavailable...") String code,
        @Schema(description = "the request field or parameter at fault, when one is") String field,
        @Schema(description = "on 403: the roles that would allow the call") List<String> roles) {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
    /** Its name among the schemas of every service's OpenAPI document ({@link ProblemDocument}). */
    public static final String SCHEMA = "Problem";
    private static final String TYPE_PREFIX = "urn:ich:problem:";

    public static Problem of(int status, String code, String detail) {
        return new Problem(TYPE_PREFIX + code, title(status), status, detail, null, code, null, null);
    }

    public Problem at(String path) {
        return new Problem(type, title, status, detail, path, code, field, roles);
    }

    public Problem withField(String name) {
        return new Problem(type, title, status, detail, instance, code, name, roles);
    }

    public Problem withRoles(List<String> allowed) {
        return new Problem(type, title, status, detail, instance, code, field, List.copyOf(allowed));
    }

    /** This problem as a response; 503 and 429 say when to try again. */
    public Response response() {
        Response.ResponseBuilder r = Response.status(status).type(MEDIA).entity(this);
        if (status == 503 || status == 429) r.header("Retry-After", "5");
        return r.build();
    }

    /**
     * The code of a refusal nothing more specific names: its reason phrase as one word (NotFound,
     * MethodNotAllowed, UnsupportedMediaType...), with the short names ich uses for 413, 500 and 503.
     */
    public static String defaultCode(int status) {
        return switch (status) {
            case 413 -> "TooLarge";
            case 500 -> "Internal";
            case 503 -> "Unavailable";
            default -> title(status).replaceAll("[^A-Za-z]", "");
        };
    }

    static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) return known.getReasonPhrase();
        return switch (status) {
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }
}

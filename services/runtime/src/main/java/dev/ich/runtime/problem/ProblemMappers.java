package dev.ich.runtime.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import dev.ich.core.storage.StorageException;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every exception that leaves a resource of any ich service answers one {@link Problem} body. Quarkus REST picks
 * the mapper of the closest exception type, so {@link ApiProblem} and Jackson's errors win over
 * {@link WebApplicationException}, and the {@link Throwable} fallback only sees what nothing else maps. The
 * security exceptions are left to their own mappers (401/403 with their headers), never answered as a 500.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final Pattern JAVA_TYPE = Pattern.compile("`((?:[a-z]\\w*\\.)+[A-Z][\\w$]*|int|long|short|double|float|boolean|char)(?:<[^`]*>)?`");
    private static final String JSON_DETAIL = "the request body is not valid JSON for this endpoint: ";

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem e, UriInfo uri) {
        return e.problem().at(path(uri)).response();
    }

    @ServerExceptionMapper
    public Response invalidJson(JsonProcessingException e, UriInfo uri) {
        return json(e).at(path(uri)).response();
    }

    /** Listed apart from its parent so it also wins over Quarkus' built-in mapper of it (an empty 400). */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return json(e).at(path(uri)).response();
    }

    /** Quarkus REST's own refusals (unknown path, method, media types) and any thrown WebApplicationException. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, Request request, HttpHeaders headers) {
        // The JSON reader wraps a parse error in a bare 400: answer the parse error.
        if (e.getCause() instanceof JsonProcessingException j) return invalidJson(j, uri);
        Response original = e.getResponse();
        if (original.getEntity() instanceof Problem p) return p.at(path(uri)).response();
        int status = original.getStatus();
        String path = path(uri);
        String detail;
        if (e instanceof NotFoundException && isDefaultMessage(e)) {
            detail = "no such path: " + path;
        } else if (e instanceof NotAllowedException) {
            detail = request.getMethod() + " is not allowed on " + path + "; allowed: " + allowed(original, path);
        } else if (e instanceof NotSupportedException) {
            detail = "this endpoint does not take " + describe(withoutParameters(headers.getHeaderString(HttpHeaders.CONTENT_TYPE)))
                    + Endpoints.consumes(request.getMethod(), path).map(c -> "; it takes " + c).orElse("");
        } else if (e instanceof NotAcceptableException) {
            detail = "this endpoint cannot answer in " + describe(headers.getHeaderString(HttpHeaders.ACCEPT)) + " (the Accept header)";
        } else {
            detail = isDefaultMessage(e) ? Problem.title(status) + ": " + request.getMethod() + " " + path : e.getMessage();
        }
        Response.ResponseBuilder answer = Response.fromResponse(Problem.of(status, Problem.defaultCode(status), detail).at(path).response());
        // Keep what the refusal says besides its body: Allow on 405, Retry-After, WWW-Authenticate...
        original.getStringHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                answer.header(name, null).header(name, String.join(", ", values));
            }
        });
        if (e instanceof NotAllowedException && original.getHeaderString(HttpHeaders.ALLOW) == null) {
            Set<String> methods = Endpoints.methods(path);
            if (!methods.isEmpty()) answer.header(HttpHeaders.ALLOW, String.join(", ", methods));
        }
        return answer.type(Problem.MEDIA).build();
    }

    /**
     * Object storage that did not answer, wherever a resource met it (a read of another replica's operation, a
     * registry lookup...): 503 with Retry-After, as the outage it is, not a 500 that reads as a bug. Like a 500, the
     * caller gets an error id and not the message (it names keys and hosts); the log gets both.
     */
    @ServerExceptionMapper
    public Response storage(StorageException e, UriInfo uri, Request request) {
        String id = UUID.randomUUID().toString();
        LOG.warnf("error %s answering %s %s: object storage: %s", id, request.getMethod(), path(uri), e.getMessage());
        return Problem.of(503, "StorageUnavailable", "object storage did not answer; try again shortly (error id " + id
                + " in the service's log)").at(path(uri)).response();
    }

    /**
     * What nothing else maps is a bug or an outage: the caller gets an error id and nothing of the exception (its
     * message may name keys, hosts or patient data); the log gets the same id with the stack trace.
     */
    @ServerExceptionMapper
    public Response internal(Throwable e, UriInfo uri, Request request) {
        // Only reached when no security mapper is registered (they are more specific): keep the status at least.
        if (isSecurity(e)) return Response.status(e instanceof ForbiddenException ? 403 : 401).build();
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "error %s answering %s %s", id, request.getMethod(), path(uri));
        return Problem.of(500, "Internal", "the service failed to answer; quote error id " + id + " to its operators")
                .at(path(uri)).response();
    }

    /** The JSON path of the field at fault (items.[2].name as items[2].name), with Jackson's words and position. */
    static Problem json(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[")
                : null;
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        Problem p = Problem.of(400, "InvalidJson", JSON_DETAIL + words(e) + where);
        return field == null ? p : p.withField(field);
    }

    /**
     * Jackson's words, except for an unknown field, where they name ich's classes: the field, and the ones the endpoint
     * takes, which is what the caller needs.
     */
    private static String words(JsonProcessingException e) {
        if (e instanceof PropertyBindingException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
            return "unknown field \"" + u.getPropertyName() + "\"" + (known.isEmpty() ? "" : "; the fields here are " + known);
        }
        String words = e.getOriginalMessage();
        if (words != null && words.startsWith("Trailing token")) return "there is more after the JSON document; send one document";
        return plain(words);
    }

    /** "`java.lang.Integer`" as "whole number", "`dev.ich.x.Spec`" as "object": the JSON type, not the Java one. */
    static String plain(String jackson) {
        if (jackson == null) return "";
        Matcher m = JAVA_TYPE.matcher(jackson);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String simple = m.group(1).replaceAll(".*[.$]", "");
            String json = switch (simple) {
                case "Integer", "int", "Long", "long", "Short", "short", "BigInteger" -> "whole number";
                case "Double", "double", "Float", "float", "BigDecimal", "Number" -> "number";
                case "Boolean", "boolean" -> "boolean";
                case "String", "char", "Character" -> "string";
                case "List", "ArrayList", "Set", "HashSet", "Collection" -> "array";
                default -> "object";
            };
            m.appendReplacement(out, json);
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Authentication (failed, redirect, completion), 401 and 403: the security mappers answer these. */
    static boolean isSecurity(Throwable e) {
        return e instanceof UnauthorizedException || e instanceof ForbiddenException || e instanceof AuthenticationException;
    }

    /** The path as the caller sent it, so a client can tell which of its calls failed. */
    private static String path(UriInfo uri) {
        return uri.getRequestUri().getRawPath();
    }

    /** Quarkus REST throws its refusals with "HTTP 404 Not Found" or no message: nothing a person can act on. */
    private static boolean isDefaultMessage(WebApplicationException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() || m.startsWith("HTTP " + e.getResponse().getStatus());
    }

    private static String allowed(Response r, String path) {
        Set<String> methods = new TreeSet<>(r.getAllowedMethods());
        if (methods.isEmpty()) methods = Endpoints.methods(path);
        return methods.isEmpty() ? "see the API docs" : String.join(", ", methods);
    }

    /** "text/plain; charset=ISO-8859-1" as "text/plain": the charset is never why a body type is refused. */
    private static String withoutParameters(String contentType) {
        if (contentType == null) return null;
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }

    private static String describe(String headerValue) {
        return headerValue == null || headerValue.isBlank() ? "a request without that header" : headerValue;
    }
}

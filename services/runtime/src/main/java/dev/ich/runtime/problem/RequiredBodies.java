package dev.ich.runtime.problem;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A JSON body is required wherever an endpoint reads one: Quarkus REST hands the resource {@code null} for an empty
 * body (or the literal {@code null}), which a resource would take as "all defaults", so an accidental empty POST
 * would start the work a request with every field left out starts. {@code {}} says "the defaults" on purpose.
 */
@Provider
public class RequiredBodies implements ReaderInterceptor {
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        MediaType type = context.getMediaType();
        if (body == null && type != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))) {
            throw new ApiProblem(400, "EmptyBody", "the request has no body; this endpoint takes a JSON "
                    + (context.getType().isRecord() ? "object" + fields(context.getType()) + " (send {} for the defaults)" : "document"),
                    null, null);
        }
        return body;
    }

    private static String fields(Class<?> type) {
        if (type.getRecordComponents().length == 0) return "";
        return " with the fields " + Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).collect(Collectors.joining(", "));
    }
}

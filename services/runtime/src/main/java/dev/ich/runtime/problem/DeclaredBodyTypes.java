package dev.ich.runtime.problem;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * A body must say what it is. JAX-RS lets a body without {@code Content-Type} through to any endpoint, whatever it
 * declares it takes, so bytes nobody labelled would be read as DICOM, CSV or JSON; an endpoint that declares its types
 * refuses such a body with a 415 naming them. Endpoints that take anything (STOW-RS, which checks the type itself) and
 * requests without a body are left alone.
 */
@Provider
public class DeclaredBodyTypes implements ContainerRequestFilter {
    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getHeaderString(HttpHeaders.CONTENT_TYPE) != null || !hasBody(request)) return;
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) return;
        Consumes consumes = method.getAnnotation(Consumes.class) != null ? method.getAnnotation(Consumes.class)
                : resource.getResourceClass().getAnnotation(Consumes.class);
        if (consumes == null || Arrays.stream(consumes.value()).anyMatch(t -> t.contains("*"))) return;
        request.abortWith(Problem.of(415, "UnsupportedMediaType", "the request body has no Content-Type; this endpoint takes "
                + String.join(" or ", consumes.value())).response());
    }

    private static boolean hasBody(ContainerRequestContext request) {
        if (request.getHeaderString("Transfer-Encoding") != null) return true;
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        try {
            return length != null && Long.parseLong(length.trim()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

package dev.ich.runtime.problem;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;

/**
 * The JAX-RS half of "every 4xx/5xx is a Problem": a resource that answers {@code Response.status(404).build()}
 * gets a Problem body, and a Problem built without {@code instance} (e.g. {@code problem.response()} in a resource)
 * gets the request path. Bodies that are not Problems are left alone: they are protocol shapes (STOW-RS outcomes,
 * Open Inference Protocol errors). 401 and 403 belong to the security mappers, which build their own Problem.
 */
@Provider
public class ProblemResponses implements ContainerResponseFilter {
    private static final Annotation[] NONE = new Annotation[0];

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400) return;
        String path = request.getUriInfo().getRequestUri().getRawPath();
        Object entity = response.getEntity();
        if (entity instanceof Problem p) {
            if (p.instance() == null) response.setEntity(p.at(path), NONE, Problem.MEDIA);
            else response.getHeaders().putSingle("Content-Type", Problem.MEDIA);
        } else if (entity == null && status != 401 && status != 403 && !"HEAD".equals(request.getMethod())) {
            response.setEntity(Problem.of(status, Problem.defaultCode(status),
                    Problem.title(status) + ": " + request.getMethod() + " " + path + " gave no reason").at(path), NONE, Problem.MEDIA);
        }
    }
}

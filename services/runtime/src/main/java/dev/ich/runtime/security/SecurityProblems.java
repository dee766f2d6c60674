package dev.ich.runtime.security;

import dev.ich.runtime.problem.Problem;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * 401 and 403 as problem bodies. 401 carries {@code WWW-Authenticate: Bearer} (RFC 6750; {@code invalid_token} when
 * a token was sent and did not verify); 403 names the roles that would allow the call, read from the operation's
 * {@code @RolesAllowed}. Authentication is not proactive (microprofile-config.properties), so these failures reach
 * the JAX-RS mappers.
 */
public class SecurityProblems {
    static final String REALM = "Bearer realm=\"ich\"";

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpHeaders headers, UriInfo uri) {
        return unauthenticated(headers, uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpHeaders headers, UriInfo uri) {
        return unauthenticated(headers, uri);
    }

    @ServerExceptionMapper
    public Response authenticationIncomplete(AuthenticationCompletionException e, HttpHeaders headers, UriInfo uri) {
        return unauthenticated(headers, uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ResourceInfo resource, UriInfo uri) {
        List<String> allowed = allowedRoles(resource);
        String detail = allowed.isEmpty() ? "your token's roles do not allow this call"
                : "this call needs one of the roles " + String.join(", ", allowed) + "; your token has none of them "
                + "(ask your IdP administrator to add you to a group mapped to one: docs/security.md)";
        return Problem.of(403, "Forbidden", detail).at(uri.getPath()).withRoles(allowed).response();
    }

    private static Response unauthenticated(HttpHeaders headers, UriInfo uri) {
        boolean sent = headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        String detail = sent ? "the bearer token was not accepted (expired, signed by another issuer, or for another audience); "
                + "get a new one from the site's OIDC issuer" : "this API needs a bearer token: send 'Authorization: Bearer <token>' "
                + "from the site's OIDC issuer (locally: ./ich token --role ROLE)";
        Response p = Problem.of(401, sent ? "InvalidToken" : "Unauthenticated", detail).at(uri.getPath()).response();
        return Response.fromResponse(p).header(HttpHeaders.WWW_AUTHENTICATE,
                sent ? REALM + ", error=\"invalid_token\"" : REALM).build();
    }

    /** The operation's roles, method first, then class; ich-admin is implied by the role map and not repeated. */
    static List<String> allowedRoles(ResourceInfo resource) {
        if (resource == null) return List.of();
        Method method = resource.getResourceMethod();
        RolesAllowed onMethod = method == null ? null : method.getAnnotation(RolesAllowed.class);
        Class<?> type = resource.getResourceClass();
        RolesAllowed onClass = type == null ? null : type.getAnnotation(RolesAllowed.class);
        RolesAllowed used = onMethod != null ? onMethod : onClass;
        return used == null ? List.of() : Arrays.asList(used.value());
    }
}

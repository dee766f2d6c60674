package dev.ich.runtime.audit;

import dev.ich.core.event.AuditRecord;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.lang.reflect.Method;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One audit record per state-changing request, per read marked {@link Audited}, and per refused request (401/403),
 * written after the answer is known so the outcome is the status the caller got.
 */
public class AuditFilter {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    AuditLog log;

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    AuditEntities entities;

    @ServerResponseFilter
    public Uni<Void> audit(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource,
                           HttpServerRequest http) {
        String method = request.getMethod();
        int status = response.getStatus();
        Audited marked = marked(resource);
        if (SAFE.contains(method) && marked == null && status != 401 && status != 403) return Uni.createFrom().voidItem();
        String path = request.getUriInfo().getPath();
        String address = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        Map<String, List<String>> touched = new LinkedHashMap<>();
        request.getUriInfo().getPathParameters().forEach((name, values) -> touched.put(name, List.copyOf(values)));
        touched.putAll(entities.snapshot());
        String action = method + " " + template(resource, path);
        String fhir = marked != null ? marked.value() : AuditRecord.fhirAction(method);
        return identities.getDeferredIdentity().onFailure().recoverWithNull().invoke(identity -> log.write(new AuditRecord(
                UUID.randomUUID().toString(), Instant.now(), log.service(), action, fhir, path, agent(identity, address),
                AuditRecord.Outcome.of(status), touched))).replaceWithVoid();
    }

    private static Audited marked(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) return null;
        Audited onMethod = resource.getResourceMethod().getAnnotation(Audited.class);
        return onMethod != null ? onMethod : resource.getResourceClass().getAnnotation(Audited.class);
    }

    /** The route as declared ({@code /jobs/{id}}), so records group by operation; the concrete path is kept beside it. */
    private static String template(ResourceInfo resource, String path) {
        if (resource == null || resource.getResourceMethod() == null) return path;
        jakarta.ws.rs.Path onClass = resource.getResourceClass().getAnnotation(jakarta.ws.rs.Path.class);
        Method m = resource.getResourceMethod();
        jakarta.ws.rs.Path onMethod = m.getAnnotation(jakarta.ws.rs.Path.class);
        String joined = (onClass == null ? "" : onClass.value()) + (onMethod == null ? "" : "/" + onMethod.value());
        joined = ("/" + joined).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    private static AuditRecord.Agent agent(SecurityIdentity identity, String address) {
        if (identity == null || identity.isAnonymous()) return new AuditRecord.Agent(null, null, List.of(), address);
        Principal p = identity.getPrincipal();
        String client = null;
        if (p instanceof JsonWebToken jwt) {
            Object azp = jwt.getClaim("azp");
            Object clientId = jwt.getClaim("client_id");
            client = azp != null ? String.valueOf(azp) : clientId != null ? String.valueOf(clientId) : null;
        }
        List<String> roles = new ArrayList<>(identity.getRoles());
        roles.sort(null);
        return new AuditRecord.Agent(p == null ? null : p.getName(), client, roles, address);
    }
}

package dev.ich.runtime.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.ManagementInterface;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;

/**
 * The Vert.x half of "every 4xx/5xx is a Problem": answers that never reach Quarkus REST. Quarkus refuses a body
 * over {@code quarkus.http.limits.max-body-size} with an empty 413 before any resource runs, Vert.x answers a
 * path no route takes with a 404 page (on the API port and on the management port), and a failure inside a route (a handler that throws) goes to the router's
 * failure handlers. 401/403 and security failures pass on untouched. One 413 stays bare: a chunked body that grows over the limit is refused
 * by Quarkus REST's input stream itself, which ends the response without a way to add a body; so does a 400
 * for a path that is not valid percent-encoding, refused before any route is matched.
 */
@Singleton
public class ProblemRoutes {
    private static final Logger LOG = Logger.getLogger(ProblemRoutes.class);
    private final ObjectMapper json;

    ProblemRoutes(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        Optional<MemorySize> limit = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class);
        // Quarkus' own check runs at ROUTE_ORDER_UPLOAD_LIMIT and ends the response bare; this one, just before it,
        // refuses the same requests with a reason (and closes the connection as Quarkus does: the body is not read).
        limit.ifPresent(max -> router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
            if (length != null && parses(length) > max.asLongValue()) {
                ctx.response().putHeader(HttpHeaderNames.CONNECTION, "close").endHandler(v -> ctx.request().connection().close());
                answer(ctx, Problem.of(413, "TooLarge", "the request body of " + length + " bytes exceeds this service's limit of "
                        + max.asLongValue() + " bytes (quarkus.http.limits.max-body-size)"));
            } else {
                ctx.next();
            }
        }));
        answerTheRest(router);
    }

    /** Health, metrics and OpenAPI have their own port and router (quarkus.management.enabled): the same answers there. */
    void installOnManagement(@Observes ManagementInterface management) {
        answerTheRest(management.router());
    }

    private void answerTheRest(Router router) {
        router.route().last().handler(ctx -> answer(ctx, Problem.of(404, "NotFound", "no such path: " + ctx.request().path())));
        router.route().failureHandler(this::failure);
    }

    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        int status = t instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
        if (ctx.response().headWritten() || status == 401 || status == 403 || (t != null && ProblemMappers.isSecurity(t))) {
            ctx.next();
            return;
        }
        if (status < 400) status = 500;
        Problem p;
        if (status >= 500) {
            String id = UUID.randomUUID().toString();
            LOG.errorf(t, "error %s answering %s %s (%d)", id, ctx.request().method(), ctx.request().path(), status);
            p = Problem.of(status, Problem.defaultCode(status), "the service failed to answer; quote error id " + id + " to its operators");
        } else if (status == 413) {
            p = Problem.of(413, "TooLarge", "the request body exceeds this service's limit (quarkus.http.limits.max-body-size)");
        } else {
            p = Problem.of(status, Problem.defaultCode(status), Problem.title(status) + ": " + ctx.request().method() + " " + ctx.request().path());
        }
        answer(ctx, p);
    }

    private void answer(RoutingContext ctx, Problem problem) {
        String body;
        try {
            body = json.writeValueAsString(problem.at(ctx.request().path()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Problem always serialises", e);
        }
        ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (problem.status() == 503) ctx.response().putHeader("Retry-After", "5");
        ctx.response().end(ctx.request().method() == HttpMethod.HEAD ? "" : body);
    }

    private static long parses(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package dev.ich.training.models;

import dev.ich.core.contract.Roles;
import dev.ich.core.event.ModelPublished;
import dev.ich.runtime.audit.AuditEntities;
import dev.ich.runtime.problem.ApiProblem;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import java.util.List;

/** The model registry: what the trainer stored, which version serves, and promotion. */
@Path("/models")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    @Inject
    ModelRegistry registry;

    @RolesAllowed({Roles.READER, Roles.TRAINER, Roles.MODEL_ADMIN})
    @GET
    public List<Model> list() {
        return registry.list();
    }

    @RolesAllowed({Roles.READER, Roles.TRAINER, Roles.MODEL_ADMIN})
    @GET
    @Path("{name}")
    @APIResponseSchema(value = Model.class, responseDescription = "the model and its versions")
    @APIResponse(responseCode = "400", description = "the name is no model name")
    @APIResponse(responseCode = "404", description = "no model of this name")
    public Model get(@PathParam("name") String name) {
        return registry.get(name);
    }

    /** Longest override reason taken: a sentence or a ticket reference, not a document. */
    static final int MAX_REASON = 1000;

    @Inject
    AuditEntities audit;

    /** Quarkus's request mapper, strict as StrictRequestBodies makes it. */
    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    @Inject
    SecurityIdentity identity;

    /**
     * Marks the version as serving ({@code models/serving.json}) and publishes {@code models-published}; 409 with the
     * reason when refused. The body is optional: {@code {"override": {"reason": "..."}}} serves a version the promotion
     * gate refuses, and the reason is recorded in serving.json, the event and the audit record.
     */
    @RolesAllowed({Roles.MODEL_ADMIN})
    @POST
    @Path("{name}/versions/{version}/promote")
    @RequestBody(required = false, description = "optional; {\"override\": {\"reason\": \"...\"}} promotes a version the promotion gate "
            + "refuses (docs/training-api.md, \"Promotion gate\")",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PromoteRequest.class)))
    @APIResponseSchema(value = ModelPublished.class, responseDescription = "promoted: the event serving acts on; with override when the gate was overridden")
    @APIResponse(responseCode = "400", description = "the name or version is malformed, or the override has no reason")
    @APIResponse(responseCode = "404", description = "no such model version")
    @APIResponse(responseCode = "409", description = "the version records no pipeline, or one serving cannot reproduce, or the "
            + "promotion gate refused it (code PromotionGateFailed: worse than the serving model beyond the tolerance)")
    public ModelPublished promote(@PathParam("name") String name, @PathParam("version") String version, byte[] bytes,
                                  @Context HttpHeaders headers) throws Exception {
        PromoteRequest body = body(bytes, headers.getMediaType());
        String reason = null;
        if (body != null && body.override() != null) {
            reason = body.override().reason() == null ? "" : body.override().reason().strip();
            if (reason.isEmpty()) {
                // 400, not the 422 of a field value out of range: a reasonless override is a malformed request (issue 21)
                throw new ApiProblem(400, "InvalidField", "an override needs a reason: say why this version should serve although "
                        + "the promotion gate finds it worse than the serving model", "override.reason", null);
            }
            if (reason.length() > MAX_REASON) {
                throw new ApiProblem(400, "InvalidField", "the reason has " + reason.length() + " characters; at most " + MAX_REASON,
                        "override.reason", null);
            }
        }
        ModelPublished published = registry.promote(name, version, reason,
                identity == null || identity.isAnonymous() ? null : identity.getPrincipal().getName());
        if (published.override() != null) {
            audit.add("override.reason", published.override().reason());
            published.override().failed().forEach(f -> audit.add("override.failed", f));
        }
        return published;
    }

    /**
     * The body read by hand, because none at all must stay a plain promotion whatever Content-Type the client put on
     * it (curl -X POST sends none, RestAssured a form type): an empty body is no override unless it is labelled JSON,
     * which is refused as everywhere (RequiredBodies: an empty JSON body is not "the defaults", {} is). A body with
     * content must be JSON, read by the strict request mapper (unknown fields, wrong types: a 400 naming the field).
     */
    private PromoteRequest body(byte[] bytes, MediaType type) throws java.io.IOException {
        boolean json = type != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        if (bytes == null || bytes.length == 0) {
            if (!json) return null;
            throw new ApiProblem(400, "EmptyBody", "the request has no body but says it is JSON; send {} or no Content-Type for a plain "
                    + "promotion, or {\"override\": {\"reason\": \"...\"}}", null, null);
        }
        if (!json) {
            throw new ApiProblem(415, "UnsupportedMediaType", "this endpoint takes application/json"
                    + (type == null ? "; the body has no Content-Type" : ", not " + type), null, null);
        }
        PromoteRequest body = mapper.readValue(bytes, PromoteRequest.class);
        if (body == null) {
            throw new ApiProblem(400, "EmptyBody", "the body is null; send {} for a plain promotion, or {\"override\": {\"reason\": \"...\"}}",
                    null, null);
        }
        return body;
    }

    /**
     * The version's model card: intended use, data and lineage, per-label metrics with the operating point and its
     * intervals, calibration, limitations. JSON, or an HTML page when the caller prefers {@code text/html}.
     */
    @RolesAllowed({Roles.READER, Roles.TRAINER, Roles.MODEL_ADMIN})
    @GET
    @Path("{name}/versions/{version}/card")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @APIResponse(responseCode = "200", description = "the model card, as JSON or (Accept: text/html) as a page",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ModelCard.class)),
                    @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "the name or version is malformed")
    @APIResponse(responseCode = "404", description = "no such model version")
    public Response card(@PathParam("name") String name, @PathParam("version") String version, @Context HttpHeaders headers) {
        ModelCard card = registry.card(name, version);
        if (prefersHtml(headers)) return Response.ok(card.html(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        return Response.ok(card, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The first acceptable type (by quality) that is JSON or HTML decides; anything else, or none, is JSON. */
    private static boolean prefersHtml(HttpHeaders headers) {
        for (MediaType t : headers.getAcceptableMediaTypes()) {
            if (t.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !t.isWildcardType()) return false;
            if (t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType()) return true;
        }
        return false;
    }
}

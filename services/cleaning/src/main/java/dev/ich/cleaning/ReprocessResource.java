package dev.ich.cleaning;

import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.contract.Roles;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestResponse;
import dev.ich.runtime.operation.Operation;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import java.net.URI;
import java.util.List;

/** {@code POST /reprocess} re-cleans all raw slices in the background; {@code GET /reprocess/{id}} is its operation (docs/operations.md). */
@Path("/reprocess")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReprocessResource {
    @Inject
    Pipelines pipelines;

    @Inject
    Reprocessing reprocessing;

    /** Overrides of the configured pipeline; every field optional. */
    public record PipelineOverrides(Integer size, List<String> channels, Double threshold) {
    }

    public record ReprocessRequest(PipelineOverrides pipeline) {
    }

    @RolesAllowed({Roles.CURATOR})
    @POST
    @APIResponse(responseCode = "202", description = "the run started; Location is its operation", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = ReprocessDetails.OPERATION_SCHEMA)))
    @APIResponse(responseCode = "400", description = "an override the pipeline cannot take (BadPipeline), or a body off its shape")
    public RestResponse<Operation<ReprocessDetails>> start(ReprocessRequest request) {
        PipelineOverrides o = request == null || request.pipeline() == null
                ? new PipelineOverrides(null, null, null) : request.pipeline();
        CleaningPipeline pipeline;
        try {
            pipeline = pipelines.with(o.size(), o.channels(), o.threshold());
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "BadPipeline", "bad pipeline: " + e.getMessage());
        }
        Operation<ReprocessDetails> run = reprocessing.start(pipeline);
        return RestResponse.ResponseBuilder.accepted(run).location(URI.create("/reprocess/" + run.id())).build();
    }

    @RolesAllowed({Roles.CURATOR, Roles.READER})
    @GET
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "the run as an operation: running, succeeded, failed or interrupted")
    @APIResponse(responseCode = "404", description = "no run of this id")
    public Operation<ReprocessDetails> progress(@PathParam("id") String id) {
        return reprocessing.find(id).orElseThrow(() -> ApiProblem.notFound("no reprocess run " + id
                + " (POST /reprocess answers with the id of the run it starts)"));
    }
}

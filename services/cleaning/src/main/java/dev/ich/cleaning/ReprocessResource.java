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
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import java.net.URI;
import java.util.List;

/** {@code POST /reprocess} re-cleans all raw slices in the background; {@code GET /reprocess/{id}} shows progress. */
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
    @APIResponse(responseCode = "202", description = "the run started; Location is its progress",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReprocessRun.Progress.class)))
    @APIResponse(responseCode = "400", description = "an override the pipeline cannot take (BadPipeline), or a body off its shape")
    public Response start(ReprocessRequest request) {
        PipelineOverrides o = request == null || request.pipeline() == null
                ? new PipelineOverrides(null, null, null) : request.pipeline();
        CleaningPipeline pipeline;
        try {
            pipeline = pipelines.with(o.size(), o.channels(), o.threshold());
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "BadPipeline", "bad pipeline: " + e.getMessage());
        }
        ReprocessRun run = reprocessing.start(pipeline);
        return Response.accepted(run.progress()).location(URI.create("/reprocess/" + run.id())).build();
    }

    @RolesAllowed({Roles.CURATOR, Roles.READER})
    @GET
    @Path("{id}")
    @APIResponseSchema(value = ReprocessRun.Progress.class, responseDescription = "the run's progress")
    @APIResponse(responseCode = "404", description = "no run of this id since this replica started")
    public ReprocessRun.Progress progress(@PathParam("id") String id) {
        return reprocessing.find(id).map(ReprocessRun::progress)
                .orElseThrow(() -> ApiProblem.notFound("no reprocess run " + id + " (runs are kept in memory until restart)"));
    }
}

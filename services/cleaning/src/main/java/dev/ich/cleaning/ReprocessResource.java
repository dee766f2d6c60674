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
    public ReprocessRun.Progress progress(@PathParam("id") String id) {
        return reprocessing.find(id).map(ReprocessRun::progress)
                .orElseThrow(() -> ApiProblem.notFound("no reprocess run " + id + " (runs are kept in memory until restart)"));
    }
}

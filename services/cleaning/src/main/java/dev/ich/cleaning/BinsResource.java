package dev.ich.cleaning;

import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.contract.Roles;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code POST /pipelines/bins}: histogram bins from a sample of the raw slices in storage, and the pipeline
 * version they would make. Nothing changes until someone adopts them (see {@link BinsResponse#adopt()}):
 * the running version stays what the configuration says, so a restart can never surprise anyone.
 */
@Path("/pipelines/bins")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BinsResource {
    static final String ADOPT = "save binsFile to a file, set ich.cleaning.pipeline.bins-file "
            + "(env ICH_CLEANING_PIPELINE_BINS_FILE) to its path and restart; then POST /reprocess to re-clean what is stored";

    @Inject
    BinSampler sampler;

    @Inject
    Pipelines pipelines;

    /** @param sample slices to sample (default 100); @param stratified per BitsStored/PixelRepresentation group (default true) */
    public record BinsRequest(Integer sample, Long seed, Boolean stratified) {
    }

    public record BinsResponse(List<Double> bins, String binsFile, int slices, Map<String, Integer> groups, String version,
                               String currentVersion, String adopt) {
    }

    @RolesAllowed({Roles.CURATOR})
    @POST
    @APIResponseSchema(value = BinsResponse.class, responseDescription = "the proposed bins, and how to adopt them")
    @APIResponse(responseCode = "400", description = "sample outside 1..100000 (InvalidField), or a body off its shape")
    @APIResponse(responseCode = "409", description = "no raw slice in storage decodes, so there is nothing to sample (NoSlices)")
    public BinsResponse compute(BinsRequest request) {
        int n = request == null || request.sample() == null ? 100 : request.sample();
        if (n < 1 || n > 100_000) throw new ApiProblem(400, "InvalidField", "sample must be within 1..100000, got " + n, "sample", null);
        long seed = request == null || request.seed() == null ? 0 : request.seed();
        boolean stratified = request == null || request.stratified() == null || request.stratified();
        BinSampler.Sample s;
        try {
            s = sampler.sample(n, seed, stratified);
        } catch (IllegalStateException e) {
            throw new ApiProblem(409, "NoSlices", e.getMessage());
        }
        CleaningPipeline proposed = pipelines.withBins(s.bins());
        pipelines.record(proposed); // its recipe is in storage before anyone adopts it
        double[] edges = s.bins().edges();
        return new BinsResponse(Arrays.stream(edges).boxed().toList(),
                Arrays.stream(edges).mapToObj(Double::toString).collect(Collectors.joining("\n", "", "\n")),
                s.slices(), s.groups(), proposed.version().id(), pipelines.current().version().id(), ADOPT);
    }
}

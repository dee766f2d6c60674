package dev.ich.labeling.experiments;

import dev.ich.core.contract.Roles;
import io.smallrye.common.annotation.Blocking;
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

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.ich.runtime.operation.Operation;
import java.net.URI;
import java.util.List;

/** {@code POST /experiments/metadata-baseline} starts the metadata-only forest (202); {@code GET /experiments/{id}} is its operation (docs/operations.md). */
@Path("/experiments")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ExperimentsResource {
    @Inject
    MetadataExperiments experiments;

    @RolesAllowed({Roles.CURATOR})
    @POST
    @Path("metadata-baseline")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "the experiment, accepted: its operation; Location is where it reports",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = ExperimentDetails.OPERATION_SCHEMA)))
    @APIResponse(responseCode = "400", description = "no dataset, or trees or maxTrainSlices out of range")
    @APIResponse(responseCode = "404", description = "no dataset of this id")
    @APIResponse(responseCode = "409", description = "the dataset is not published yet")
    public Response metadataBaseline(ExperimentRequest request) {
        Operation<ExperimentDetails> e = experiments.submit(request);
        return Response.accepted(e).location(URI.create("/experiments/" + e.id())).build();
    }

    @RolesAllowed({Roles.CURATOR, Roles.READER})
    @GET
    public List<Operation<ExperimentDetails>> list() {
        return experiments.all();
    }

    /**
     * The experiment's operation, whatever its state: {@code details.report} once it has succeeded; a failure with code
     * DataCannotSupport (422) when the dataset cannot support it (one class only, too few slices).
     */
    @RolesAllowed({Roles.CURATOR, Roles.READER})
    @GET
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "the experiment: pending, running, succeeded (with its report), failed or interrupted")
    @APIResponse(responseCode = "404", description = "no experiment of this id")
    public Operation<ExperimentDetails> get(@PathParam("id") String id) {
        return experiments.get(id);
    }
}

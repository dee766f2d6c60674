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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.net.URI;
import java.util.List;

/** {@code POST /experiments/metadata-baseline} starts the metadata-only forest (202); {@code GET /experiments/{id}} reports it. */
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
    @APIResponse(responseCode = "202", description = "the experiment, started; Location is its result",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Experiment.class)))
    @APIResponse(responseCode = "400", description = "no dataset, or trees or maxTrainSlices out of range")
    @APIResponse(responseCode = "404", description = "no dataset of this id")
    @APIResponse(responseCode = "409", description = "the dataset is not published yet")
    public Response metadataBaseline(ExperimentRequest request) {
        Experiment e = experiments.submit(request);
        return Response.accepted(e).location(URI.create("/experiments/" + e.id())).build();
    }

    @RolesAllowed({Roles.CURATOR, Roles.READER})
    @GET
    public List<Experiment> list() {
        return experiments.all();
    }

    /** 200 when done, 202 while running, 422 with the reason when the data cannot support the experiment. */
    @RolesAllowed({Roles.CURATOR, Roles.READER})
    @GET
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "done", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Experiment.class)))
    @APIResponse(responseCode = "202", description = "still running", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Experiment.class)))
    @APIResponse(responseCode = "404", description = "no experiment of this id in this process")
    @APIResponse(responseCode = "422", description = "the data cannot support the experiment: the experiment with its reason",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Experiment.class)))
    public Response get(@PathParam("id") String id) {
        Experiment e = experiments.get(id);
        int status = switch (e.state()) {
            case Experiment.RUNNING -> 202;
            case Experiment.FAILED -> 422;
            default -> 200;
        };
        return Response.status(status).entity(e).build();
    }
}

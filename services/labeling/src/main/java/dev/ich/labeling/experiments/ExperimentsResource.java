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

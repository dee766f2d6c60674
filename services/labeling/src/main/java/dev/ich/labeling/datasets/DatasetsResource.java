package dev.ich.labeling.datasets;

import dev.ich.core.contract.Roles;
import dev.ich.runtime.audit.Audited;
import dev.ich.runtime.problem.ApiProblem;
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

/**
 * {@code POST /datasets} freezes a version (202; its build is an operation, {@code GET /datasets/{id}}, that holds the
 * dataset once it has succeeded); ids are {@code <name>@v<N>}.
 */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DatasetsResource {
    @Inject
    Datasets datasets;

    @RolesAllowed({Roles.CURATOR})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "the build, accepted: its operation; Location is the dataset",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = DatasetBuildDetails.OPERATION_SCHEMA)))
    @APIResponse(responseCode = "400", description = "a spec the build cannot take (the detail says which field)")
    @APIResponse(responseCode = "404", description = "the labels version the spec names does not exist")
    public Response create(DatasetRequest request) {
        if (request == null) throw ApiProblem.badRequest("send the dataset spec as JSON, e.g. {\"name\": \"any-balanced\"}");
        Operation<DatasetBuildDetails> build = datasets.submit(request);
        return Response.accepted(build).location(URI.create("/datasets/" + build.id())).build();
    }

    @RolesAllowed({Roles.CURATOR, Roles.READER, Roles.TRAINER})
    @GET
    public List<String> list() {
        return datasets.ids();
    }

    /**
     * The build's operation, whatever its state (docs/operations.md): {@code details.dataset} is the published dataset
     * once it has succeeded; {@code failure} says why a failed or interrupted one left nothing.
     */
    @RolesAllowed({Roles.CURATOR, Roles.READER, Roles.TRAINER})
    @Audited("R")
    @GET
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "the build: pending, running, succeeded (with the dataset), failed or interrupted")
    @APIResponse(responseCode = "404", description = "no dataset of this id")
    public Operation<DatasetBuildDetails> get(@PathParam("id") String id) {
        return datasets.find(id).orElseThrow(() -> ApiProblem.notFound("no dataset " + id
                + " (ids look like any-balanced@v1; GET /datasets lists them)"));
    }
}

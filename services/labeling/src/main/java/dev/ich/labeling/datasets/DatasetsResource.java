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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import dev.ich.runtime.problem.Problem;
import java.net.URI;
import java.util.List;

/**
 * {@code POST /datasets} freezes a version (202 while shards are written, then {@code GET /datasets/{id}}
 * says published); ids are {@code <name>@v<N>}.
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
    @APIResponse(responseCode = "202", description = "the build, started; Location is the dataset",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DatasetBuild.class)))
    @APIResponse(responseCode = "400", description = "a spec the build cannot take (the detail says which field)")
    @APIResponse(responseCode = "404", description = "the labels version the spec names does not exist")
    public Response create(DatasetRequest request) {
        if (request == null) throw ApiProblem.badRequest("send the dataset spec as JSON, e.g. {\"name\": \"any-balanced\"}");
        DatasetBuild build = datasets.submit(request);
        return Response.accepted(build).location(URI.create("/datasets/" + build.id())).build();
    }

    @RolesAllowed({Roles.CURATOR, Roles.READER, Roles.TRAINER})
    @GET
    public List<String> list() {
        return datasets.ids();
    }

    /** 200 with the dataset when published, 202 while building, 500 with the reason when the build failed. */
    @RolesAllowed({Roles.CURATOR, Roles.READER, Roles.TRAINER})
    @Audited("R")
    @GET
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "published", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DatasetBuild.class)))
    @APIResponse(responseCode = "202", description = "still building", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DatasetBuild.class)))
    @APIResponse(responseCode = "404", description = "no dataset of this id")
    @APIResponse(responseCode = "500", description = "the build failed: the dataset with its reason, or a failure of the service", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DatasetBuild.class)),
            @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = Problem.SCHEMA))})
    public Response get(@PathParam("id") String id) {
        DatasetBuild b = datasets.find(id).orElseThrow(() -> ApiProblem.notFound("no dataset " + id
                + " (ids look like any-balanced@v1; GET /datasets lists them)"));
        int status = switch (b.state()) {
            case DatasetBuild.BUILDING -> 202;
            case DatasetBuild.FAILED -> 500;
            default -> 200;
        };
        return Response.status(status).entity(b).build();
    }
}

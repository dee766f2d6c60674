package dev.ich.training.models;

import dev.ich.core.contract.Roles;
import dev.ich.core.event.ModelPublished;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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

    /** Marks the version as serving ({@code models/serving.json}) and publishes {@code models-published}; 409 with the reason when refused. */
    @RolesAllowed({Roles.MODEL_ADMIN})
    @POST
    @Path("{name}/versions/{version}/promote")
    @APIResponseSchema(value = ModelPublished.class, responseDescription = "promoted: the event serving acts on")
    @APIResponse(responseCode = "400", description = "the name or version is malformed")
    @APIResponse(responseCode = "404", description = "no such model version")
    @APIResponse(responseCode = "409", description = "the version records no pipeline, or one serving cannot reproduce")
    public ModelPublished promote(@PathParam("name") String name, @PathParam("version") String version) throws Exception {
        return registry.promote(name, version);
    }
}

package dev.ich.labeling.exploration;

import dev.ich.core.contract.Roles;
import dev.ich.labeling.report.ExplorationReport;
import dev.ich.labeling.slices.SliceImages;
import dev.ich.runtime.problem.ApiProblem;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import java.util.Base64;

/** {@code GET /exploration} (JSON) and {@code GET /exploration/report} (the page with charts). */
@Path("/exploration")
@Blocking
public class ExplorationResource {
    @Inject
    ExplorationService exploration;

    @Inject
    SliceImages images;

    @RolesAllowed({Roles.READER, Roles.CURATOR})
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = Exploration.class, responseDescription = "the exploration of the metadata table, joined to the labels")
    @APIResponse(responseCode = "404", description = "the labels version asked for does not exist")
    public Exploration json(@QueryParam("labels") Integer labels) {
        return exploration.explore(labels);
    }

    /**
     * Charts and slice pictures drawn here and embedded: the page is one self-contained file, so a browser (which
     * sends no bearer token for an image) or a saved copy shows everything. A picture that cannot be drawn (its
     * raw object unreadable) is left empty with its window as the alt text.
     */
    @RolesAllowed({Roles.READER, Roles.CURATOR})
    @GET
    @Path("report")
    @Produces(MediaType.TEXT_HTML)
    @APIResponse(responseCode = "200", description = "the exploration as a page for a person",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "the labels version asked for does not exist")
    public String report(@QueryParam("labels") Integer labels) {
        return ExplorationReport.html(exploration.explore(labels), (uid, window) -> {
            try {
                return "data:image/png;base64," + Base64.getEncoder().encodeToString(images.windowed(uid, window, ExplorationReport.SAMPLE_SIZE));
            } catch (ApiProblem unreadable) {
                return "";
            }
        });
    }
}

package dev.ich.labeling.exploration;

import dev.ich.core.contract.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.ich.labeling.Exploration;
import dev.ich.labeling.report.ExplorationReport;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /exploration} (JSON) and {@code GET /exploration/report} (the page with charts). */
@Path("/exploration")
@Blocking
public class ExplorationResource {
    @Inject
    ExplorationService exploration;

    @RolesAllowed({Roles.READER, Roles.CURATOR})
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Exploration json(@QueryParam("labels") Integer labels) {
        return exploration.explore(labels);
    }

    /** Charts drawn here; slice pictures are links to {@code /slices/{uid}/image}, relative so a proxy prefix works. */
    @RolesAllowed({Roles.READER, Roles.CURATOR})
    @GET
    @Path("report")
    @Produces(MediaType.TEXT_HTML)
    public String report(@QueryParam("labels") Integer labels) {
        return ExplorationReport.html(exploration.explore(labels), ExplorationReport.SLICE_BASE);
    }
}

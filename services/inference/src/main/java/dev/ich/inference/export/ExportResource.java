package dev.ich.inference.export;

import dev.ich.core.contract.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * {@code GET /export/status}: per destination, what is queued, sent and given up, and the last error. Counts and error
 * sentences only, no patient data (so no audit record): readers and clinicians may look.
 */
@Path("/export/status")
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {
    @Inject
    ResultsExport export;

    public record Answer(Map<String, DestinationStatus> destinations) {
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.CLINICIAN})
    public Answer status() {
        return new Answer(export.status());
    }
}

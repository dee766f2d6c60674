package dev.ich.ingest.dicomweb;

import dev.ich.ingest.IngestConfig;
import dev.ich.core.contract.Roles;
import dev.ich.ingest.dicomweb.QidoAttribute.Level;
import dev.ich.runtime.audit.Audited;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * QIDO-RS for series across all studies (PS3.18 10.6, a relational query): {@code GET /series}, with study
 * attributes both as matching keys and in each answer.
 */
@Path("/series")
@RolesAllowed({Roles.CLINICIAN, Roles.CURATOR})
@Audited("R")
@Produces({QidoSearch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
@Tag(name = QidoDocument.TAG)
public class QidoSeriesResource {
    @Inject
    QidoAnswers qido;

    @GET
    public Response series() {
        return qido.answer(Level.SERIES, true, (ready, q) -> QidoSearch.series(QidoSearch.studies(ready.studies().stream(), q), q));
    }
}

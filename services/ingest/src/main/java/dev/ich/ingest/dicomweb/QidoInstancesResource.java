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
 * QIDO-RS for instances across all studies (PS3.18 10.6, a relational query): {@code GET /instances}, with study and
 * series attributes both as matching keys and in each answer. Shares {@code /instances} with the single upload
 * ({@link dev.ich.ingest.stow.InstanceResource}, POST): JAX-RS routes by class path first, so both classes name exactly that path.
 */
@Path("/instances")
@RolesAllowed({Roles.CLINICIAN, Roles.CURATOR})
@Audited("R")
@Produces({QidoSearch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
@Tag(name = QidoDocument.TAG)
public class QidoInstancesResource {
    @Inject
    QidoAnswers qido;

    @GET
    public Response instances() {
        return qido.answer(Level.INSTANCE, true,
                (ready, q) -> QidoSearch.instances(QidoSearch.series(QidoSearch.studies(ready.studies().stream(), q), q), q));
    }
}

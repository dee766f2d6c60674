package dev.ich.ingest.dicomweb;

import dev.ich.ingest.IngestConfig;
import dev.ich.core.contract.Roles;
import dev.ich.ingest.dicomweb.QidoAttribute.Level;
import dev.ich.runtime.audit.AuditEntities;
import dev.ich.runtime.audit.Audited;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * QIDO-RS for instances across all studies (PS3.18 10.6, a relational query): {@code GET /instances}, with study and
 * series attributes both as matching keys and in each answer. Shares {@code /instances} with the single upload
 * ({@link dev.ich.ingest.stow.InstanceResource}, POST): JAX-RS routes by class path first, so both classes name exactly that path.
 */
@Path("/instances")
public class QidoInstancesResource {
    @Inject
    DicomWebIndex index;
    @Inject
    IngestConfig config;
    @Inject
    AuditEntities audit;
    @Context
    UriInfo uri;

    @RolesAllowed({Roles.CLINICIAN, Roles.CURATOR})
    @Audited("R")
    @GET
    @Produces({QidoSearch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response instances() {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters(), Level.INSTANCE);
        return search().answer(QidoSearch.instances(QidoSearch.series(QidoSearch.studies(index.ready().studies().stream(), q), q), q),
                Level.INSTANCE, true, q);
    }

    private QidoSearch search() {
        return new QidoSearch(uri.getBaseUri(), config.dicomweb().maxResults(), audit);
    }
}

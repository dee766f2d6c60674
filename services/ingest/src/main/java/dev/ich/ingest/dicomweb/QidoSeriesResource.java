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
 * QIDO-RS for series across all studies (PS3.18 10.6, a relational query): {@code GET /series}, with study
 * attributes both as matching keys and in each answer.
 */
@Path("/series")
public class QidoSeriesResource {
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
    public Response series() {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters(), Level.SERIES);
        return search().answer(QidoSearch.series(QidoSearch.studies(index.ready().studies().stream(), q), q), Level.SERIES, true, q);
    }

    private QidoSearch search() {
        return new QidoSearch(uri.getBaseUri(), config.dicomweb().maxResults(), audit);
    }
}

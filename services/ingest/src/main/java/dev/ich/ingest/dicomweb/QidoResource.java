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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.stream.Stream;

/**
 * QIDO-RS (PS3.18 10.6) over what ingest stored: studies, their series, their instances, answered from the
 * {@link DicomWebIndex} in the DICOM JSON model. Shares {@code /studies} with STOW-RS ({@link dev.ich.ingest.stow.StowResource}, POST)
 * and WADO-RS ({@link WadoResource}); {@code GET /series} and {@code GET /instances} are in {@link QidoSeriesResource} and {@link QidoInstancesResource}.
 */
@Path("/studies")
public class QidoResource {
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
    public Response studies() {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters(), Level.STUDY);
        return search().answer(QidoSearch.studies(index.ready().studies().stream(), q), Level.STUDY, false, q);
    }

    @RolesAllowed({Roles.CLINICIAN, Roles.CURATOR})
    @Audited("R")
    @GET
    @Path("/{study}/series")
    @Produces({QidoSearch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response seriesOfStudy(@PathParam("study") String study) {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters(), Level.SERIES);
        return search().answer(QidoSearch.series(QidoSearch.studies(Stream.of(DicomWebPaths.study(index.ready(), study)), q), q),
                Level.SERIES, false, q);
    }

    @RolesAllowed({Roles.CLINICIAN, Roles.CURATOR})
    @Audited("R")
    @GET
    @Path("/{study}/series/{series}/instances")
    @Produces({QidoSearch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response instancesOfSeries(@PathParam("study") String study, @PathParam("series") String series) {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters(), Level.INSTANCE);
        InstanceIndex ready = index.ready();
        InstanceIndex.Series se = DicomWebPaths.series(ready, study, series);
        Stream<QidoSearch.Hit> oneSeries = QidoSearch.studies(Stream.of(DicomWebPaths.study(ready, study)), q)
                .map(h -> new QidoSearch.Hit(h.study(), se, null));
        return search().answer(QidoSearch.instances(oneSeries, q), Level.INSTANCE, false, q);
    }

    @RolesAllowed({Roles.CLINICIAN, Roles.CURATOR})
    @Audited("R")
    @GET
    @Path("/{study}/instances")
    @Produces({QidoSearch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response instancesOfStudy(@PathParam("study") String study) {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters(), Level.INSTANCE);
        return search().answer(QidoSearch.instances(QidoSearch.series(QidoSearch.studies(
                Stream.of(DicomWebPaths.study(index.ready(), study)), q), q), q), Level.INSTANCE, true, q);
    }

    private QidoSearch search() {
        return new QidoSearch(uri.getBaseUri(), config.dicomweb().maxResults(), audit);
    }
}

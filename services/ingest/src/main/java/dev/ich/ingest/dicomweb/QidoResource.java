package dev.ich.ingest.dicomweb;

import dev.ich.ingest.IngestConfig;
import dev.ich.core.contract.Roles;
import dev.ich.ingest.dicomweb.QidoAttribute.Level;
import dev.ich.runtime.audit.Audited;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * QIDO-RS (PS3.18 10.6) over what ingest stored: studies, their series, their instances, answered from the
 * {@link DicomWebIndex} in the DICOM JSON model. Shares {@code /studies} with STOW-RS ({@link dev.ich.ingest.stow.StowResource}, POST)
 * and WADO-RS ({@link WadoResource}); {@code GET /series} and {@code GET /instances} are in {@link QidoSeriesResource} and {@link QidoInstancesResource}.
 */
@Path("/studies")
@RolesAllowed({Roles.CLINICIAN, Roles.CURATOR})
@Audited("R")
@Produces({QidoSearch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
@Tag(name = QidoDocument.TAG)
public class QidoResource {
    @Inject
    QidoAnswers qido;

    @GET
    public Response studies() {
        return qido.answer(Level.STUDY, false, (ready, q) -> QidoSearch.studies(ready.studies().stream(), q));
    }

    @GET
    @Path("/{study}/series")
    @APIResponse(responseCode = "404", description = "no such study")
    public Response seriesOfStudy(@PathParam("study") String study) {
        return qido.answer(Level.SERIES, false, (ready, q) -> QidoSearch.series(QidoAnswers.study(ready, study, q), q));
    }

    @GET
    @Path("/{study}/series/{series}/instances")
    @APIResponse(responseCode = "404", description = "no such study or series")
    public Response instancesOfSeries(@PathParam("study") String study, @PathParam("series") String series) {
        return qido.answer(Level.INSTANCE, false, (ready, q) -> {
            InstanceIndex.Series se = DicomWebPaths.series(ready, study, series);
            return QidoSearch.instances(QidoAnswers.study(ready, study, q).map(h -> new QidoSearch.Hit(h.study(), se, null)), q);
        });
    }

    @GET
    @Path("/{study}/instances")
    @APIResponse(responseCode = "404", description = "no such study")
    public Response instancesOfStudy(@PathParam("study") String study) {
        return qido.answer(Level.INSTANCE, true, (ready, q) -> QidoSearch.instances(QidoSearch.series(QidoAnswers.study(ready, study, q), q), q));
    }
}

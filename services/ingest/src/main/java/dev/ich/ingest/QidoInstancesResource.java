package dev.ich.ingest;

import dev.ich.core.contract.Roles;
import dev.ich.ingest.QidoAttribute.Level;
import dev.ich.runtime.audit.Audited;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
/**
 * QIDO-RS for instances across all studies (PS3.18 10.6, a relational query): {@code GET /instances}, with study and
 * series attributes both as matching keys and in each answer. Shares {@code /instances} with the single upload
 * ({@link InstanceResource}, POST): JAX-RS routes by class path first, so both classes name exactly that path.
 */
@Path("/instances")
@RolesAllowed({Roles.CLINICIAN, Roles.CURATOR})
@Audited("R")
@Produces({QidoSearch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
@APIResponse(responseCode = "200", description = "the matches, one DICOM JSON data set each, a page of them (Warning says when more match)",
        content = @Content(mediaType = QidoSearch.MEDIA_TYPE, schema = @Schema(type = SchemaType.ARRAY, implementation = DicomJsonDataset.class)))
@APIResponse(responseCode = "400", description = "a query key or value QIDO-RS does not take (field names it), or a path UID that is none")
@APIResponse(responseCode = "503", description = "the DICOMweb index of this replica is still being built")
public class QidoInstancesResource {
    @Inject
    QidoAnswers qido;

    @GET
    public Response instances() {
        return qido.answer(Level.INSTANCE, true,
                (ready, q) -> QidoSearch.instances(QidoSearch.series(QidoSearch.studies(ready.studies().stream(), q), q), q));
    }
}

package dev.ich.ingest.stow;

import dev.ich.ingest.dicomweb.WadoAccept;
import dev.ich.ingest.AuditedOutcomes;
import dev.ich.ingest.IngestConfig;
import dev.ich.ingest.Ingestor;
import dev.ich.ingest.Rejection;
import dev.ich.ingest.StoreOutcome;
import dev.ich.core.contract.Roles;
import dev.ich.core.event.IngestSource;
import dev.ich.ingest.StoreOutcome.Duplicate;
import dev.ich.ingest.StoreOutcome.Rejected;
import dev.ich.ingest.StoreOutcome.Stored;
import dev.ich.runtime.audit.AuditEntities;
import dev.ich.runtime.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.io.IOException;
import java.io.InputStream;

/** {@code POST /instances}: one application/dicom body, for scripts and {@code curl --data-binary}. */
@Path("/instances")
public class InstanceResource {
    @Inject
    Ingestor ingestor;
    @Inject
    AuditEntities audit;
    @Inject
    IngestConfig config;

    /** What a single upload became; {@code status} is "stored" or "duplicate". */
    public record Receipt(String status, String sop, String objectKey, String sha256) {
    }

    @RolesAllowed({Roles.UPLOADER})
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @RequestBody(required = true, content = @Content(mediaType = WadoAccept.DICOM, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "200", description = "stored, or the same bytes were stored before (status says which)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Receipt.class)))
    @APIResponse(responseCode = "400", description = "not DICOM, cut short, or unreadable")
    @APIResponse(responseCode = "409", description = "an instance of this SOP Instance UID with other bytes is stored")
    @APIResponse(responseCode = "413", description = "the instance exceeds ich.ingest.max-instance-bytes")
    @APIResponse(responseCode = "415", description = "the body is not application/dicom")
    @APIResponse(responseCode = "422", description = "DICOM, but not a slice ich takes (the code names why)")
    @APIResponse(responseCode = "503", description = "object storage failed; nothing stored, send it again")
    public Response upload(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
        if (!isDicom(contentType)) {
            return Problem.of(415, Rejection.WrongContentType.name(), "POST /instances takes one application/dicom"
                    + " body (curl -H 'Content-Type: application/dicom' --data-binary @file.dcm); got "
                    + (contentType == null ? "no Content-Type" : contentType)).response();
        }
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxInstanceBytes() + 1));
        if (bytes.length > config.maxInstanceBytes()) {
            return Problem.of(413, Rejection.TooLarge.name(), "instance exceeds the limit of "
                    + config.maxInstanceBytes() + " bytes (ich.ingest.max-instance-bytes)").response();
        }
        StoreOutcome outcome = ingestor.ingest(bytes, IngestSource.UPLOAD);
        AuditedOutcomes.add(audit, outcome);
        if (outcome instanceof Stored s) {
            return Response.ok(new Receipt("stored", s.sopInstanceUid(), s.event().objectKey(), s.event().sha256())).build();
        }
        if (outcome instanceof Duplicate d) {
            return Response.ok(new Receipt("duplicate", d.sopInstanceUid(), d.objectKey(), d.sha256())).build();
        }
        Rejected r = (Rejected) outcome;
        return Problem.of(r.code().httpStatus(), r.code().name(), r.reason()).response();
    }

    private static boolean isDicom(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MediaType.valueOf(Ingestor.DICOM));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

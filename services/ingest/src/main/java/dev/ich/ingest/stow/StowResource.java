package dev.ich.ingest.stow;

import dev.ich.ingest.DicomJsonDataset;
import dev.ich.ingest.dicomweb.WadoAccept;
import dev.ich.ingest.AuditedOutcomes;
import dev.ich.ingest.IngestConfig;
import dev.ich.ingest.Ingestor;
import dev.ich.ingest.Rejection;
import dev.ich.ingest.StoreOutcome;
import dev.ich.core.contract.Roles;
import dev.ich.core.contract.Uids;
import dev.ich.core.event.IngestSource;
import dev.ich.ingest.stow.MultipartRelated.Part;
import dev.ich.ingest.StoreOutcome.Rejected;
import dev.ich.runtime.audit.AuditEntities;
import dev.ich.runtime.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * STOW-RS (PS3.18 10.5): {@code multipart/related; type="application/dicom"}, one instance per part,
 * parsed as a stream so a study is never held whole; each part goes through the {@link Ingestor}.
 */
@Path("/studies")
@APIResponse(responseCode = "200", description = "every instance stored (or already stored): the DICOM JSON store response",
        content = @Content(mediaType = StoreResponse.MEDIA_TYPE, schema = @Schema(implementation = DicomJsonDataset.class)))
@APIResponse(responseCode = "202", description = "some instances stored, some refused: FailedSOPSequence says which and why",
        content = @Content(mediaType = StoreResponse.MEDIA_TYPE, schema = @Schema(implementation = DicomJsonDataset.class)))
@APIResponse(responseCode = "409", description = "not one instance stored: FailedSOPSequence says why for each",
        content = @Content(mediaType = StoreResponse.MEDIA_TYPE, schema = @Schema(implementation = DicomJsonDataset.class)))
@APIResponse(responseCode = "400", description = "a malformed multipart body, a Content-Type without boundary, or a path UID that is none")
@APIResponse(responseCode = "413", description = "the request exceeds ich.ingest.max-request-bytes; nothing stored")
@APIResponse(responseCode = "415", description = "the body is not multipart/related; type=\"application/dicom\"")
@APIResponse(responseCode = "503", description = "object storage failed for every instance, or the service is shutting down")
public class StowResource {
    private static final Logger LOG = Logger.getLogger(StowResource.class);
    @Inject
    Ingestor ingestor;
    @Inject
    IngestConfig config;
    @Inject
    @Named("stow-workers")
    ExecutorService workers;
    @Inject
    AuditEntities audit;

    @RolesAllowed({Roles.UPLOADER})
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({StoreResponse.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @RequestBody(required = true, content = @Content(mediaType = WadoAccept.MULTIPART,
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response store(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        return stow(contentType, body, null);
    }

    @RolesAllowed({Roles.UPLOADER})
    @POST
    @Path("/{study}")
    @Consumes(MediaType.WILDCARD)
    @Produces({StoreResponse.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @RequestBody(required = true, content = @Content(mediaType = WadoAccept.MULTIPART,
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response storeInStudy(@PathParam("study") String study, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                 InputStream body) {
        if (!(config.acceptRsnaIds() ? Uids.isValid(study) : Uids.isDicomUid(study))) {
            return Problem.of(400, "InvalidUid", "\"" + study + "\" in the URL is not a Study Instance UID"
                    + (config.acceptRsnaIds() ? " (digits and dots, or RSNA's ID_<hex>)" : " (digits and dots)")).response();
        }
        return stow(contentType, body, study);
    }

    private Response stow(String contentType, InputStream body, String study) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null || !type.isCompatible(new MediaType("multipart", "related"))
                || !Ingestor.DICOM.equalsIgnoreCase(unquote(type.getParameters().get("type")))) {
            return Problem.of(415, "WrongContentType", "STOW-RS takes multipart/related; type=\"application/dicom\";"
                    + " boundary=...; got " + (contentType == null ? "no Content-Type" : contentType)).response();
        }
        String boundary = unquote(type.getParameters().get("boundary"));
        if (boundary == null || boundary.isEmpty()) {
            return Problem.of(400, "MalformedMultipart", "Content-Type names no boundary").response();
        }
        MultipartRelated parts = new MultipartRelated(body, boundary, config.maxInstanceBytes(), config.maxRequestBytes());
        // Parts are ingested a few at a time: the next part streams in and is parsed while the previous ones are checked,
        // de-identified and stored; the semaphore bounds memory to stow-parallelism instances per request. A part gives
        // its bytes and its slot back once stored: its event's acknowledgement is awaited with all the others at the end.
        List<CompletableFuture<Ingestor.Ingestion>> futures = new ArrayList<>();
        Set<StoreOutcome> broken = ConcurrentHashMap.newKeySet();
        Semaphore inFlight = new Semaphore(config.stowParallelism());
        // Reading can stop before the closing delimiter. What was read is answered all the same: the parts before the
        // break are stored and announced, so the caller must hear which; the break is one more failure item. Only when
        // not one part was read is the request itself refused (the problem).
        Stopped stopped = null;
        try {
            for (Part part = parts.next(); part != null; part = parts.next()) {
                Part current = part;
                int number = futures.size() + 1;
                inFlight.acquire();
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return ingest(current, study);
                    } catch (Throwable t) {
                        StoreOutcome failed = unexpected(number, t);
                        broken.add(failed);
                        return () -> failed;
                    } finally {
                        inFlight.release();
                    }
                }, workers));
            }
        } catch (MultipartRelated.TooLargeException e) {
            stopped = new Stopped(Problem.of(413, "RequestTooLarge", e.getMessage() + "; " + futures.size()
                    + " instances before the limit were processed, none stored"), Rejection.TooLarge, e.getMessage());
        } catch (MultipartRelated.MalformedException e) {
            stopped = new Stopped(Problem.of(400, "MalformedMultipart", e.getMessage()), Rejection.Truncated, e.getMessage());
        } catch (IOException e) {
            String why = "the request body could not be read: " + e.getMessage();
            stopped = new Stopped(Problem.of(400, "BodyUnreadable", why), Rejection.Truncated, why);
        } catch (InterruptedException | RejectedExecutionException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            stopped = new Stopped(Problem.of(503, "Interrupted", "the service is shutting down; send again"), Rejection.StorageFailed,
                    "the service is shutting down");
        }
        if (futures.isEmpty() && stopped != null) return stopped.refused().response();
        // Every part was sent on its way before any acknowledgement is awaited; the outcomes stay in the order of the parts.
        List<StoreOutcome> outcomes = new ArrayList<>(futures.size());
        for (int i = 0; i < futures.size(); i++) outcomes.add(outcome(futures.get(i).join(), i + 1, broken));
        outcomes.forEach(o -> AuditedOutcomes.add(audit, o));
        boolean stored = outcomes.stream().anyMatch(o -> !(o instanceof Rejected));
        // A cut body lists what was read (409 if none of it was stored); a request over the limit or cut short by a shutdown
        // that stored nothing is refused as a whole, as is one that storage refused for every part.
        if (!stored && stopped != null && stopped.as() != Rejection.Truncated) return stopped.refused().response();
        if (!stored && stopped == null && storageDown(outcomes, broken)) {
            return Problem.of(503, "StorageUnavailable", "object storage failed for all " + outcomes.size() + " instances, nothing"
                    + " was stored; send the request again when it answers (" + ((Rejected) outcomes.get(0)).reason() + ")").response();
        }
        if (stopped != null) outcomes.add(stopped.failure(futures.size()));
        StoreResponse.Result result = StoreResponse.of(outcomes, null);
        return Response.status(result.status()).type(StoreResponse.MEDIA_TYPE).entity(result.body()).build();
    }

    /** Why reading a request stopped before its closing delimiter: the refusal if nothing was read, else one more failure. */
    private record Stopped(Problem refused, Rejection as, String why) {
        Rejected failure(int read) {
            return Rejected.of(as, "the request body broke off at part " + (read + 1) + " (" + why + "); " + (read == 1
                    ? "the 1 part before it was read" : "the " + read + " parts before it were read") + ", nothing after it: send the rest again");
        }
    }

    /** Every instance refused because storage failed (not because of itself, and not by a fault of this service). */
    private static boolean storageDown(List<StoreOutcome> outcomes, Set<StoreOutcome> broken) {
        return !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o instanceof Rejected r && r.code() == Rejection.StorageFailed
                && !broken.contains(o));
    }

    /**
     * A part that broke this service in a way nothing foresaw (a bug, a reader's stack overflowing on a deeply nested
     * data set): that part fails with an error id the log has with the stack trace, and the request goes on.
     */
    private static StoreOutcome unexpected(int part, Throwable t) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(t, "error %s ingesting part %d of a STOW-RS request", id, part);
        return Rejected.of(Rejection.StorageFailed, "processing part " + part + " failed in the service (error id " + id
                + "); nothing of it is acknowledged: send it again, and if it fails again quote the id to the service's operators");
    }

    /** The part's final outcome; what breaks while waiting for it fails that part alone, as in {@link #unexpected}. */
    private static StoreOutcome outcome(Ingestor.Ingestion ingestion, int part, Set<StoreOutcome> broken) {
        try {
            return ingestion.outcome();
        } catch (RuntimeException e) {
            StoreOutcome failed = unexpected(part, e);
            broken.add(failed);
            return failed;
        }
    }

    private Ingestor.Ingestion ingest(Part part, String study) {
        MediaType partType;
        try {
            partType = MediaType.valueOf(part.contentType().isEmpty() ? "text/plain" : part.contentType());
        } catch (IllegalArgumentException e) {
            partType = MediaType.TEXT_PLAIN_TYPE;
        }
        if (!partType.isCompatible(MediaType.valueOf(Ingestor.DICOM))) {
            return refusedPart(Rejection.WrongContentType, "part of type " + (part.contentType().isEmpty() ? "(none)"
                    : part.contentType()) + ": only application/dicom instances are accepted (no bulk data or metadata)");
        }
        if (part.body() == null) {
            return refusedPart(Rejection.TooLarge, "instance of " + part.size() + " bytes exceeds the limit of "
                    + config.maxInstanceBytes() + " bytes (ich.ingest.max-instance-bytes)");
        }
        return ingestor.begin(part.body(), IngestSource.STOW, study);
    }

    private static Ingestor.Ingestion refusedPart(Rejection code, String reason) {
        Rejected rejected = Rejected.of(code, reason);
        return () -> rejected;
    }

    private static String unquote(String s) {
        if (s == null) return null;
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}

package dev.ich.ingest;

import dev.ich.core.contract.Roles;
import dev.ich.core.contract.Uids;
import dev.ich.core.event.IngestSource;
import dev.ich.ingest.MultipartRelated.Part;
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

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * STOW-RS (PS3.18 10.5): {@code multipart/related; type="application/dicom"}, one instance per part,
 * parsed as a stream so a study is never held whole; each part goes through the {@link Ingestor}.
 */
@Path("/studies")
public class StowResource {
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
    public Response store(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        return stow(contentType, body, null);
    }

    @RolesAllowed({Roles.UPLOADER})
    @POST
    @Path("/{study}")
    @Consumes(MediaType.WILDCARD)
    @Produces({StoreResponse.MEDIA_TYPE, MediaType.APPLICATION_JSON})
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
        // Parts are ingested a few at a time: the next part streams in and is parsed while the previous
        // ones wait on S3; the semaphore bounds memory to stow-parallelism instances per request.
        List<CompletableFuture<StoreOutcome>> futures = new ArrayList<>();
        Semaphore inFlight = new Semaphore(config.stowParallelism());
        try {
            for (Part part = parts.next(); part != null; part = parts.next()) {
                Part current = part;
                inFlight.acquire();
                futures.add(CompletableFuture.supplyAsync(() -> ingest(current, study), workers)
                        .whenComplete((o, e) -> inFlight.release()));
            }
        } catch (MultipartRelated.TooLargeException e) {
            return Problem.of(413, "RequestTooLarge", e.getMessage() + "; " + futures.size()
                    + " instances before the limit were processed").response();
        } catch (MultipartRelated.MalformedException e) {
            return Problem.of(400, "MalformedMultipart", e.getMessage() + "; " + futures.size()
                    + " complete parts before it were processed").response();
        } catch (IOException e) {
            return Problem.of(400, "BodyUnreadable", "the request body could not be read: " + e.getMessage()).response();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Problem.of(503, "Interrupted", "the service is shutting down; send again").response();
        }
        List<StoreOutcome> outcomes = futures.stream().map(CompletableFuture::join).toList();
        outcomes.forEach(o -> AuditedOutcomes.add(audit, o));
        StoreResponse.Result result = StoreResponse.of(outcomes, null);
        return Response.status(result.status()).type(StoreResponse.MEDIA_TYPE).entity(result.body()).build();
    }

    private StoreOutcome ingest(Part part, String study) {
        MediaType partType;
        try {
            partType = MediaType.valueOf(part.contentType().isEmpty() ? "text/plain" : part.contentType());
        } catch (IllegalArgumentException e) {
            partType = MediaType.TEXT_PLAIN_TYPE;
        }
        if (!partType.isCompatible(MediaType.valueOf(Ingestor.DICOM))) {
            return Rejected.of(Rejection.WrongContentType, "part of type " + (part.contentType().isEmpty() ? "(none)"
                    : part.contentType()) + ": only application/dicom instances are accepted (no bulk data or metadata)");
        }
        if (part.body() == null) {
            return Rejected.of(Rejection.TooLarge, "instance of " + part.size() + " bytes exceeds the limit of "
                    + config.maxInstanceBytes() + " bytes (ich.ingest.max-instance-bytes)");
        }
        return ingestor.ingest(part.body(), IngestSource.STOW, study);
    }

    private static String unquote(String s) {
        if (s == null) return null;
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}

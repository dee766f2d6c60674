package dev.ich.ingest.imports;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Roles;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.core.storage.StoredObject;
import dev.ich.runtime.problem.ApiProblem;
import dev.ich.runtime.problem.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import dev.ich.runtime.operation.Operation;
import java.net.URI;
import java.util.Optional;

/** {@code POST /imports} starts a bulk import of a prefix; {@code GET /imports/{id}} is its operation (docs/operations.md). */
@Path("/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {
    /** S3's longest key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;
    private static final int LISTING_PAGE = 1000;
    @Inject
    Imports imports;
    @Inject
    ObjectStore store;

    /** {@code bucket} may be omitted; when given it must be this service's bucket. */
    public record ImportRequest(String bucket, String prefix) {
    }

    @RolesAllowed({Roles.UPLOADER})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "the import started: its operation; Location is where it is reported",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = ImportDetails.OPERATION_SCHEMA)))
    @APIResponse(responseCode = "400", description = "no prefix, another bucket, a malformed or reserved prefix, or nothing under it (field names which)")
    @APIResponse(responseCode = "503", description = "object storage did not answer; the import was not started")
    public Response start(ImportRequest request) {
        if (request == null || request.prefix() == null) {
            return Problem.of(400, "MissingPrefix", "send {\"bucket\": \"" + store.bucket()
                    + "\", \"prefix\": \"imports/batch-1/\"}; an empty prefix imports the whole bucket").withField("prefix").response();
        }
        if (request.bucket() != null && !request.bucket().equals(store.bucket())) {
            return Problem.of(400, "OtherBucketNotSupported", "imports read from this service's bucket \""
                    + store.bucket() + "\" only; copy the objects there first (e.g. mc cp --recursive)").withField("bucket").response();
        }
        String prefix = request.prefix();
        String malformed = malformed(prefix);
        if (malformed != null) return Problem.of(400, "InvalidPrefix", malformed).withField("prefix").response();
        if (prefix.startsWith(ObjectKeys.RAW_PREFIX)) {
            return Problem.of(400, "PrefixAlreadyIngested", "objects under " + ObjectKeys.RAW_PREFIX
                    + " are already ingested; import from another prefix such as imports/").withField("prefix").response();
        }
        if (prefix.startsWith(ObjectKeys.INGEST_PREFIX) || prefix.startsWith(ObjectKeys.OPERATIONS_PREFIX)) {
            return Problem.of(400, "PrefixReserved", "objects under " + ObjectKeys.INGEST_PREFIX + " and "
                    + ObjectKeys.OPERATIONS_PREFIX + " are ich's own bookkeeping, never imported; import from another prefix"
                    + " such as imports/").withField("prefix").response();
        }
        try {
            if (!importable(prefix)) {
                return Problem.of(400, "NothingToImport", "nothing to import under \"" + prefix + "\" in bucket \"" + store.bucket()
                        + "\" (besides " + ObjectKeys.RAW_PREFIX + ", " + ObjectKeys.INGEST_PREFIX + " and " + ObjectKeys.OPERATIONS_PREFIX
                        + "); copy the files there first,"
                        + " or check the prefix (keys are case-sensitive, and a folder's prefix ends with /)").withField("prefix").response();
            }
        } catch (StorageException e) {
            return storageDown("the import was not started", e);
        }
        try {
            Operation<ImportDetails> started = imports.start(prefix);
            return Response.accepted(started).location(URI.create("/imports/" + started.id())).build();
        } catch (StorageException e) {
            return storageDown("the import was not started", e);
        }
    }

    @RolesAllowed({Roles.UPLOADER, Roles.READER})
    @GET
    @Path("/{id}")
    @APIResponse(responseCode = "200", description = "the import as an operation: running, succeeded, failed or interrupted")
    @APIResponse(responseCode = "404", description = "no import of this id")
    @APIResponse(responseCode = "503", description = "object storage did not answer")
    public Operation<ImportDetails> status(@PathParam("id") String id) {
        Optional<Operation<ImportDetails>> found;
        try {
            found = imports.find(id);
        } catch (StorageException | java.io.UncheckedIOException e) {
            throw new ApiProblem(503, "StorageUnavailable", "the import cannot be read: " + e.getMessage()
                    + "; try again when the bucket answers");
        }
        return found.orElseThrow(() -> new ApiProblem(404, "UnknownImport", "no import with id " + id
                + " (ids are the ones POST /imports returned; imports are kept under " + ObjectKeys.OPERATIONS_IMPORTS
                + " in the bucket)"));
    }

    /**
     * Why {@code prefix} cannot be an object key prefix of an import, or null. Keys are not paths, but every S3 tool and
     * file system copy treats them as such: a ".." or "." segment, a leading "/", a backslash or a control character
     * would name other objects than the caller meant, or none, and only show as a failed import later.
     */
    static String malformed(String prefix) {
        if (prefix.startsWith("/")) return "prefix \"" + prefix + "\" starts with /: keys are relative to the bucket (imports/batch-1/, not /imports/batch-1/)";
        if (prefix.indexOf('\\') >= 0) return "prefix \"" + prefix + "\" has a backslash: key prefixes separate folders with /";
        if (prefix.codePoints().anyMatch(c -> Character.isISOControl(c))) return "prefix has a control character (a newline, a tab...)";
        if (prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "prefix is longer than an object key may be (" + MAX_KEY_BYTES + " bytes)";
        }
        for (String segment : prefix.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return "prefix \"" + prefix + "\" has a \"" + segment + "\" segment: name the folder itself (imports/batch-1/)";
            }
        }
        if (prefix.contains("//")) return "prefix \"" + prefix + "\" has an empty segment (//)";
        return null;
    }

    /** Whether anything but ingest's own objects lies under the prefix: looks at one listing page at most. */
    private boolean importable(String prefix) {
        int looked = 0;
        for (StoredObject o : store.list(prefix)) {
            if (!Imports.reserved(o.key())) return true;
            // Past one page of only raw/ and ingest/ keys (the whole bucket of a busy site): let the import find out.
            if (++looked >= LISTING_PAGE) return true;
        }
        return false;
    }

    private static Response storageDown(String what, RuntimeException e) {
        return Problem.of(503, "StorageUnavailable", what + ": " + e.getMessage() + "; try again when the bucket answers").response();
    }
}

package dev.ich.ingest;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Roles;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
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

import java.util.Map;

/** {@code POST /imports} starts a bulk import of a prefix; {@code GET /imports/{id}} reports on it. */
@Path("/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {
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
    public Response start(ImportRequest request) {
        if (request == null || request.prefix() == null) {
            return Problem.of(400, "MissingPrefix", "send {\"bucket\": \"" + store.bucket()
                    + "\", \"prefix\": \"imports/batch-1/\"}; an empty prefix imports the whole bucket").response();
        }
        if (request.bucket() != null && !request.bucket().equals(store.bucket())) {
            return Problem.of(400, "OtherBucketNotSupported", "imports read from this service's bucket \""
                    + store.bucket() + "\" only; copy the objects there first (e.g. mc cp --recursive)").response();
        }
        if (request.prefix().startsWith(ObjectKeys.RAW_PREFIX)) {
            return Problem.of(400, "PrefixAlreadyIngested", "objects under " + ObjectKeys.RAW_PREFIX
                    + " are already ingested; import from another prefix such as imports/").response();
        }
        try {
            ImportJob job = imports.start(request.prefix());
            return Response.accepted(Map.of("id", job.id, "status", "/imports/" + job.id)).build();
        } catch (StorageException e) {
            return storageDown("the import was not started", e);
        }
    }

    @RolesAllowed({Roles.UPLOADER, Roles.READER})
    @GET
    @Path("/{id}")
    public Response status(@PathParam("id") String id) {
        try {
            return imports.find(id).map(status -> Response.ok(status).build())
                    .orElseGet(() -> Problem.of(404, "UnknownImport", "no import with id " + id
                            + " (ids are the ones POST /imports returned; their status is kept under "
                            + ObjectKeys.INGEST_IMPORTS_PREFIX + " in the bucket)").response());
        } catch (StorageException | java.io.UncheckedIOException e) {
            return storageDown("the import's status cannot be read", e);
        }
    }

    private static Response storageDown(String what, RuntimeException e) {
        return Problem.of(503, "StorageUnavailable", what + ": " + e.getMessage() + "; try again when the bucket answers").response();
    }
}

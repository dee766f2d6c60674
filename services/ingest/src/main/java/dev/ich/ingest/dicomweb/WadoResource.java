package dev.ich.ingest.dicomweb;

import dev.ich.ingest.DicomJsonDataset;
import dev.ich.core.contract.Roles;
import dev.ich.core.dicom.DicomJson;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.ingest.dicomweb.InstanceIndex.Instance;
import dev.ich.ingest.dicomweb.InstanceIndex.Study;
import dev.ich.runtime.audit.AuditEntities;
import dev.ich.runtime.audit.Audited;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.jboss.logging.Logger;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * WADO-RS (PS3.18 10.4): a study, series or instance as {@code multipart/related; type="application/dicom"}, each
 * part the stored object byte for byte (ich never transcodes), and its metadata as DICOM JSON (everything but the
 * pixel data, see {@link DicomJson}). Objects are streamed one at a time; the first is read before the answer
 * starts, so a bucket that cannot serve it is a proper error rather than a cut-off body.
 */
@Path("/studies")
@RolesAllowed({Roles.CLINICIAN, Roles.CURATOR})
@Audited("R")
@APIResponse(responseCode = "400", description = "a UID in the path that is none")
@APIResponse(responseCode = "404", description = "no such study, series or instance")
@APIResponse(responseCode = "503", description = "the index is still being built, or object storage did not serve the first object")
public class WadoResource {
    private static final String INSTANCES = "every instance asked for, byte for byte as stored, one part each";
    private static final String METADATA = "every instance asked for in the DICOM JSON model, without its pixel data";
    private static final Logger LOG = Logger.getLogger(WadoResource.class);

    @Inject
    DicomWebIndex index;
    @Inject
    ObjectStore store;
    @Inject
    AuditEntities audit;

    @GET
    @Path("/{study}")
    @APIResponse(responseCode = "200", description = INSTANCES, content = @Content(mediaType = WadoAccept.MULTIPART))
    public Response study(@PathParam("study") String study, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return retrieve(instances(DicomWebPaths.study(index.ready(), study)), accept);
    }

    @GET
    @Path("/{study}/metadata")
    @APIResponse(responseCode = "200", description = METADATA, content = @Content(mediaType = QidoSearch.MEDIA_TYPE,
            schema = @Schema(type = SchemaType.ARRAY, implementation = DicomJsonDataset.class)))
    public Response studyMetadata(@PathParam("study") String study, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return metadata(instances(DicomWebPaths.study(index.ready(), study)), accept);
    }

    @GET
    @Path("/{study}/series/{series}")
    @APIResponse(responseCode = "200", description = INSTANCES, content = @Content(mediaType = WadoAccept.MULTIPART))
    public Response series(@PathParam("study") String study, @PathParam("series") String series,
                           @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return retrieve(instances(study, series), accept);
    }

    @GET
    @Path("/{study}/series/{series}/metadata")
    @APIResponse(responseCode = "200", description = METADATA, content = @Content(mediaType = QidoSearch.MEDIA_TYPE,
            schema = @Schema(type = SchemaType.ARRAY, implementation = DicomJsonDataset.class)))
    public Response seriesMetadata(@PathParam("study") String study, @PathParam("series") String series,
                                   @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return metadata(instances(study, series), accept);
    }

    @GET
    @Path("/{study}/series/{series}/instances/{instance}")
    @APIResponse(responseCode = "200", description = INSTANCES, content = @Content(mediaType = WadoAccept.MULTIPART))
    public Response instance(@PathParam("study") String study, @PathParam("series") String series,
                             @PathParam("instance") String instance, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return retrieve(List.of(DicomWebPaths.instance(index.ready(), study, series, instance)), accept);
    }

    @GET
    @Path("/{study}/series/{series}/instances/{instance}/metadata")
    @APIResponse(responseCode = "200", description = METADATA, content = @Content(mediaType = QidoSearch.MEDIA_TYPE,
            schema = @Schema(type = SchemaType.ARRAY, implementation = DicomJsonDataset.class)))
    public Response instanceMetadata(@PathParam("study") String study, @PathParam("series") String series,
                                     @PathParam("instance") String instance, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return metadata(List.of(DicomWebPaths.instance(index.ready(), study, series, instance)), accept);
    }

    private Response retrieve(List<Instance> instances, String accept) {
        WadoAccept.requireDicom(accept, instances);
        instances.forEach(in -> audit.add("instance", in.sopInstanceUid()));
        String boundary = "ich-" + UUID.randomUUID();
        byte[] first = fetchFirst(instances.get(0));
        StreamingOutput body = out -> {
            for (int i = 0; i < instances.size(); i++) {
                Instance in = instances.get(i);
                byte[] bytes = i == 0 ? first : store.get(in.objectKey());
                String type = WadoAccept.DICOM + (in.transferSyntaxUid() == null ? "" : "; transfer-syntax=" + in.transferSyntaxUid());
                ascii(out, "--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length + "\r\n\r\n");
                out.write(bytes);
                ascii(out, "\r\n");
            }
            ascii(out, "--" + boundary + "--\r\n");
        };
        return Response.ok(body).header(HttpHeaders.CONTENT_TYPE, WadoAccept.MULTIPART + "; boundary=" + boundary).build();
    }

    private Response metadata(List<Instance> instances, String accept) {
        WadoAccept.requireJson(accept);
        instances.forEach(in -> audit.add("instance", in.sopInstanceUid()));
        byte[] first = dataset(instances.get(0), fetchFirst(instances.get(0)));
        StreamingOutput body = out -> {
            ascii(out, "[");
            boolean written = false;
            for (int i = 0; i < instances.size(); i++) {
                byte[] json = i == 0 ? first : dataset(instances.get(i), store.get(instances.get(i).objectKey()));
                if (json == null) continue;
                if (written) ascii(out, ",");
                out.write(json);
                written = true;
            }
            ascii(out, "]");
        };
        return Response.ok(body).type(QidoSearch.MEDIA_TYPE).build();
    }

    /** Before the answer starts, a bucket that cannot serve is still a proper 503. */
    private byte[] fetchFirst(Instance in) {
        try {
            return store.get(in.objectKey());
        } catch (StorageException e) {
            throw ApiProblem.unavailable("StorageUnavailable", "object storage did not serve " + in.objectKey() + " ("
                    + e.getMessage() + "); try again");
        }
    }

    /** One instance's DICOM JSON; an object that no longer reads (it did when indexed) is logged and left out. */
    private static byte[] dataset(Instance in, byte[] bytes) {
        try {
            return Events.JSON.writeValueAsBytes(DicomJson.read(bytes, true).dataset());
        } catch (DicomReadException | java.io.IOException e) {
            LOG.warnf("metadata of %s left out: %s no longer reads as DICOM (%s)", in.sopInstanceUid(), in.objectKey(), e.getMessage());
            return null;
        }
    }

    /** Series in number order, instances in number order within each: the order QIDO-RS lists them. */
    private static List<Instance> instances(Study study) {
        return ordered(QidoSearch.series(Stream.of(new QidoSearch.Hit(study, null, null)), QidoQuery.none()));
    }

    private List<Instance> instances(String study, String series) {
        InstanceIndex ready = index.ready();
        Study st = DicomWebPaths.study(ready, study);
        return ordered(Stream.of(new QidoSearch.Hit(st, DicomWebPaths.series(ready, study, series), null)));
    }

    private static List<Instance> ordered(Stream<QidoSearch.Hit> series) {
        return QidoSearch.ordered(QidoSearch.instances(series, QidoQuery.none()), QidoAttribute.Level.INSTANCE).stream()
                .map(QidoSearch.Hit::instance).toList();
    }

    private static void ascii(OutputStream out, String s) throws java.io.IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }
}

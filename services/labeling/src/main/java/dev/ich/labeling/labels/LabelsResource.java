package dev.ich.labeling.labels;

import dev.ich.core.contract.Roles;
import dev.ich.runtime.problem.ApiProblem;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/** {@code POST /labels}: an RSNA label CSV becomes a new label version; the answer is the import report. */
@Path("/labels")
@Produces(MediaType.APPLICATION_JSON)
public class LabelsResource {
    @Inject
    LabelStore labels;

    @RolesAllowed({Roles.CURATOR})
    @POST
    @Blocking
    @Consumes({"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @RequestBody(required = true, content = {@Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "201", description = "the new labels version and what its import found; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LabelImportReport.class)))
    @APIResponse(responseCode = "400", description = "no body, or a CSV that is not the RSNA label CSV")
    @APIResponse(responseCode = "503", description = "the labels parsed but object storage did not save them")
    public Response upload(InputStream csv, @QueryParam("source") String source) throws IOException {
        if (csv == null) throw ApiProblem.badRequest("the request has no body: send the label CSV (Content-Type: text/csv)");
        LabelImportReport report = labels.importCsv(csv, source == null ? "upload" : source);
        return Response.created(URI.create("/labels/" + report.version())).entity(report).build();
    }

    @RolesAllowed({Roles.CURATOR, Roles.READER})
    @GET
    public List<LabelImportReport> versions() {
        return labels.versions().stream().map(v -> labels.report(v).orElseThrow()).toList();
    }

    @RolesAllowed({Roles.CURATOR, Roles.READER})
    @GET
    @Path("/{version}")
    @APIResponseSchema(value = LabelImportReport.class, responseDescription = "what the import of this version found")
    @APIResponse(responseCode = "404", description = "no labels version of this number")
    public LabelImportReport version(@PathParam("version") int version) {
        return labels.report(version).orElseThrow(() -> ApiProblem.notFound("no label version " + version
                + "; versions: " + labels.versions()));
    }

    /** Deletes a version uploaded by mistake; datasets already frozen from it keep their own copy of the labels. */
    @RolesAllowed({Roles.ADMIN})
    @DELETE
    @Path("/{version}")
    @Blocking
    @APIResponse(responseCode = "204", description = "deleted; its number is never given again")
    @APIResponse(responseCode = "404", description = "no labels version of this number")
    public Response delete(@PathParam("version") int version) {
        labels.delete(version);
        return Response.noContent().build();
    }
}

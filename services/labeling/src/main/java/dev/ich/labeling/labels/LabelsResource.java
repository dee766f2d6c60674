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
    public LabelImportReport version(@PathParam("version") int version) {
        return labels.report(version).orElseThrow(() -> ApiProblem.notFound("no label version " + version
                + "; versions: " + labels.versions()));
    }

    /** Deletes a version uploaded by mistake; datasets already frozen from it keep their own copy of the labels. */
    @RolesAllowed({Roles.ADMIN})
    @DELETE
    @Path("/{version}")
    @Blocking
    public Response delete(@PathParam("version") int version) {
        labels.delete(version);
        return Response.noContent().build();
    }
}

package dev.ich.labeling.slices;

import dev.ich.core.augment.AugmentationConfig;
import dev.ich.core.augment.AugmentationGrid;
import dev.ich.core.augment.Augmenter;
import dev.ich.core.augment.PlanarImage;
import dev.ich.core.contract.Roles;
import dev.ich.core.label.Label;
import dev.ich.labeling.LabelingConfig;
import dev.ich.labeling.labels.LabelStore;
import dev.ich.labeling.table.SliceTable;
import dev.ich.runtime.audit.Audited;
import dev.ich.runtime.problem.ApiProblem;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
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
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;


/** The metadata table: filtered pages as JSON, the whole table as Parquet, one slice's row. */
@Path("/slices")
@Blocking
public class SlicesResource {

    @Inject
    SliceTable table;

    @Inject
    SliceQueries queries;

    @Inject
    LabelStore labels;

    @Inject
    LabelingConfig config;

    @Inject
    SliceImages images;

    /**
     * Rows matching every filter given, ordered by UID. {@code labels} joins a label version (a number or
     * {@code latest}) as {@code label_<name>} columns; {@code label=subdural} keeps that label's positives.
     */
    @RolesAllowed({Roles.READER, Roles.CURATOR})
    @Audited("R")
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = SlicePage.class, responseDescription = "a page of metadata rows")
    @APIResponse(responseCode = "400", description = "limit, offset, a label or a labels version out of range or unknown")
    @APIResponse(responseCode = "404", description = "the labels version asked for does not exist")
    public SlicePage page(@QueryParam("kept") Boolean kept, @QueryParam("drop_reason") String dropReason,
                          @QueryParam("patient") String patient, @QueryParam("study") String study,
                          @QueryParam("min_pct") Double minPct, @QueryParam("max_pct") Double maxPct,
                          @QueryParam("where") List<String> where, @QueryParam("labels") String labelsVersion,
                          @QueryParam("label") String label, @QueryParam("columns") String columns,
                          @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("offset") @DefaultValue("0") long offset) {
        if (limit < 1 || limit > config.maxPageSize()) {
            throw ApiProblem.badRequest("limit must be between 1 and " + config.maxPageSize() + ", not " + limit);
        }
        if (offset < 0) throw ApiProblem.badRequest("offset must not be negative");
        UnaryOperator<String> known = SliceFilter.columns(table);
        SliceFilter filter = new SliceFilter().kept(kept).equal("drop_reason", dropReason).equal("PatientID", patient)
                .equal("StudyInstanceUID", study).atLeast("img_pct_window", minPct).below("img_pct_window", maxPct)
                .where(where == null ? List.of() : where, known);
        List<String> chosen = columns == null || columns.isBlank() ? List.of()
                : Arrays.stream(columns.split(",")).map(String::trim).map(known).toList();
        Integer version = labelsVersion == null && label == null ? null
                : labels.require(labelsVersion == null || labelsVersion.equals("latest") ? null : parseVersion(labelsVersion));
        Label positiveOf = label == null ? null : Label.fromCsvName(label).orElseThrow(() -> ApiProblem.badRequest("unknown label '"
                + label + "'; labels: " + Arrays.stream(Label.values()).map(Label::csvName).toList()));
        return queries.page(filter, chosen, version, positiveOf, limit, offset);
    }

    private static int parseVersion(String v) {
        try {
            return Integer.parseInt(v.startsWith("v") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("labels must be a version number or 'latest', not '" + v + "'");
        }
    }

    @RolesAllowed({Roles.READER, Roles.CURATOR})
    @Audited("R")
    @GET
    @Path("{uid}")
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "the slice's metadata row", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "404", description = "no such slice")
    public Map<String, Object> one(@PathParam("uid") String uid) {
        return queries.one(uid).orElseThrow(() -> ApiProblem.notFound("no slice " + uid + " in the metadata table"));
    }

    @RolesAllowed({Roles.READER, Roles.CURATOR})
    @Audited("R")
    @GET
    @Path("{uid}/image")
    @Produces("image/png")
    @APIResponse(responseCode = "200", description = "the raw slice through a window", content = @Content(mediaType = "image/png",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "an unknown window, or a size outside 16..1024")
    @APIResponse(responseCode = "404", description = "no such slice")
    @APIResponse(responseCode = "422", description = "the stored slice does not decode")
    @APIResponse(responseCode = "503", description = "object storage did not serve the slice")
    public Response image(@PathParam("uid") String uid, @QueryParam("window") @DefaultValue("brain") String window,
                          @QueryParam("size") Integer size) {
        return Response.ok(images.windowed(uid, window, size)).header("Cache-Control", "max-age=3600").build();
    }

    /** The cleaned PNG the trainer sees (all channels). */
    @RolesAllowed({Roles.READER, Roles.CURATOR})
    @Audited("R")
    @GET
    @Path("{uid}/cleaned")
    @Produces("image/png")
    @APIResponse(responseCode = "200", description = "the image cleaning made of the slice",
            content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "no such slice, or cleaning did not keep it")
    @APIResponse(responseCode = "503", description = "object storage did not serve the image")
    public Response cleaned(@PathParam("uid") String uid) {
        return Response.ok(images.cleaned(uid)).build();
    }

    /**
     * The training augmentations (core's {@link Augmenter}, the trainer's own code) applied {@code count}
     * times to the slice's cleaned image: what you see is what trains.
     */
    @RolesAllowed({Roles.READER, Roles.CURATOR})
    @Audited("R")
    @GET
    @Path("{uid}/augmentations")
    @Produces("image/png")
    @APIResponse(responseCode = "200", description = "a contact sheet of augmented copies of the cleaned image",
            content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "count outside 1..63 or columns outside 1..16")
    @APIResponse(responseCode = "404", description = "no such slice, or cleaning did not keep it")
    @APIResponse(responseCode = "503", description = "object storage did not serve the image")
    public Response augmentations(@PathParam("uid") String uid, @QueryParam("count") @DefaultValue("11") int count,
                                  @QueryParam("seed") @DefaultValue("1") long seed,
                                  @QueryParam("columns") @DefaultValue("4") int columns) throws java.io.IOException {
        if (count < 1 || count > 63) throw ApiProblem.badRequest("count must be 1..63, not " + count);
        if (columns < 1 || columns > 16) throw ApiProblem.badRequest("columns must be 1..16, not " + columns);
        PlanarImage image = PlanarImage.fromPng(images.cleaned(uid));
        java.awt.image.BufferedImage grid = AugmentationGrid.render(image, new Augmenter(AugmentationConfig.defaults()), count, seed, columns);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(grid, "png", png);
        return Response.ok(png.toByteArray()).build();
    }
}

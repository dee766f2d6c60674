package dev.ich.inference.triage;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Roles;
import dev.ich.core.contract.Uids;
import dev.ich.core.event.StudyPredicted;
import dev.ich.core.event.StudyPredicted.KeySlice;
import dev.ich.core.storage.ObjectStore;
import dev.ich.runtime.audit.AuditEntities;
import dev.ich.runtime.audit.Audited;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The triage worklist: {@code GET /triage} lists recent studies, flagged ones (a label positive at the model's operating
 * point) first, then by p(any); as JSON, or as a small self-contained HTML page with the key slices and their heatmaps
 * inlined (a browser sends no bearer token for an {@code <img>}, so the page carries its pictures).
 */
@Path("/triage")
public class TriageResource {
    static final int MAX_LIMIT = 500;

    @Inject
    Worklist worklist;
    @Inject
    ObjectStore store;
    @Inject
    AuditEntities audit;

    /** One key slice with where its pictures are. */
    public record KeySliceEntry(String sopInstanceUid, String seriesInstanceUid, String label, double probability, String slicePicture,
                                String heatmapPicture) {
    }

    /** One study of the worklist. */
    public record Entry(String studyInstanceUid, String outcome, String reason, boolean flagged, Double probabilityAny,
                        Map<String, Double> probabilities, Map<String, Boolean> positive, StudyPredicted.ModelRef model,
                        StudyPredicted.OperatingPoint operatingPoint, List<KeySliceEntry> keySlices, int slicesPredicted,
                        int slicesKept, List<String> results, String predictedAt) {
    }

    @RolesAllowed({Roles.CLINICIAN})
    @Audited("R")
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = Entry[].class, responseDescription = "the worklist, most urgent first")
    @APIResponse(responseCode = "400", description = "limit out of range")
    public List<Entry> list(@QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("flagged") @DefaultValue("false") boolean flagged) {
        return entries(limit, flagged);
    }

    @RolesAllowed({Roles.CLINICIAN})
    @Audited("R")
    @GET
    @Produces(MediaType.TEXT_HTML)
    @APIResponse(responseCode = "200", description = "the worklist as a page for a person",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "limit out of range")
    public String page(@QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("flagged") @DefaultValue("false") boolean flagged) {
        List<Entry> entries = entries(limit, flagged);
        return TriagePage.html(entries, this::inlined);
    }

    @RolesAllowed({Roles.CLINICIAN})
    @Audited("R")
    @GET
    @Path("/{study}")
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = Entry.class, responseDescription = "the study's entry of the worklist")
    @APIResponse(responseCode = "400", description = "the study is no UID")
    @APIResponse(responseCode = "404", description = "no prediction of this study")
    public Entry study(@PathParam("study") String study) {
        requireUid(study);
        StudyPredicted s = worklist.study(study).orElseThrow(() -> new ApiProblem(404, "UnknownStudy", "study " + study
                + " has not been triaged (or is older than the worklist keeps: ich.inference.triage.worklist-size); its results, if any,"
                + " are under " + ObjectKeys.results(study) + " in the bucket"));
        audit.add("study", study);
        return entry(s);
    }

    @RolesAllowed({Roles.CLINICIAN})
    @Audited("R")
    @GET
    @Path("/{study}/pictures/{sop}/{label}/{kind}")
    @Produces("image/png")
    @APIResponse(responseCode = "200", description = "the slice or its heatmap for the label",
            content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "a UID that is none, or a path the picture's key cannot be made of")
    @APIResponse(responseCode = "404", description = "no such picture (kinds are slice and heatmap)")
    public byte[] picture(@PathParam("study") String study, @PathParam("sop") String sop, @PathParam("label") String label,
                          @PathParam("kind") String kind) {
        requireUid(study);
        requireUid(sop);
        if (!kind.equals(TriagePictures.SLICE) && !kind.equals(TriagePictures.HEATMAP)) {
            throw new ApiProblem(404, "UnknownPicture", "pictures are '" + TriagePictures.SLICE + "' or '" + TriagePictures.HEATMAP
                    + "', not '" + kind + "'");
        }
        String key;
        try {
            key = ObjectKeys.resultPicture(study, sop, label, kind);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "BadPath", e.getMessage());
        }
        if (store.stat(key).isEmpty()) throw new ApiProblem(404, "UnknownPicture", "no " + kind + " picture of " + sop + " for " + label);
        audit.add("study", study);
        audit.add("instance", sop);
        return store.get(key);
    }

    private List<Entry> entries(int limit, boolean flagged) {
        if (limit < 1 || limit > MAX_LIMIT) throw new ApiProblem(400, "BadLimit", "limit must be 1.." + MAX_LIMIT + ", not " + limit);
        List<Entry> out = new ArrayList<>();
        for (StudyPredicted s : worklist.ranked(limit, flagged)) {
            audit.add("study", s.studyInstanceUid());
            out.add(entry(s));
        }
        return out;
    }

    private static Entry entry(StudyPredicted s) {
        List<KeySliceEntry> keys = new ArrayList<>();
        for (KeySlice k : s.keySlices() == null ? List.<KeySlice>of() : s.keySlices()) {
            String base = "/triage/" + s.studyInstanceUid() + "/pictures/" + k.sopInstanceUid() + "/" + k.label() + "/";
            keys.add(new KeySliceEntry(k.sopInstanceUid(), k.seriesInstanceUid(), k.label(), k.probability(), base + TriagePictures.SLICE,
                    base + TriagePictures.HEATMAP));
        }
        double any = Worklist.score(s);
        return new Entry(s.studyInstanceUid(), s.outcome(), s.reason(), Worklist.flagged(s), any < 0 ? null : any, s.probabilities(),
                s.positive(), s.model(), s.operatingPoint(), keys, s.slicesPredicted(), s.slicesKept(), s.results(),
                s.predictedAt() == null ? null : s.predictedAt().toString());
    }

    /** A picture of the bucket as a data URI for the page, or null when it is missing. */
    private String inlined(String study, KeySliceEntry k, String kind) {
        String key = ObjectKeys.resultPicture(study, k.sopInstanceUid(), k.label(), kind);
        if (store.stat(key).isEmpty()) return null;
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(store.get(key));
    }

    private static void requireUid(String uid) {
        try {
            Uids.require("UID", uid);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "InvalidUid", e.getMessage());
        }
    }
}

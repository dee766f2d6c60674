package dev.ich.inference;

import dev.ich.core.contract.Roles;
import dev.ich.core.event.SlicePrediction;
import dev.ich.inference.SlicePredictions.SliceResult;
import dev.ich.inference.serving.Serving;
import dev.ich.runtime.audit.AuditEntities;
import dev.ich.runtime.audit.Audited;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The ich API: {@code POST /predict} (one application/dicom slice; with {@code explain=true} its Grad-CAM overlay as
 * image/png, the numbers in headers) and {@code POST /predict/study} (the STOW-RS body shape: multipart/related of
 * application/dicom instances). Every answer names the model version that made it.
 */
@Path("/predict")
@Produces(MediaType.APPLICATION_JSON)
public class PredictResource {
    static final String DICOM = "application/dicom";
    static final String PNG = "image/png";
    /** Headers of an explanation (the body is the overlay). */
    static final String MODEL_HEADER = "X-Ich-Model";
    static final String VERSION_HEADER = "X-Ich-Model-Version";
    static final String LABEL_HEADER = "X-Ich-Label";
    static final String PROBABILITY_HEADER = "X-Ich-Probability";
    static final String PROBABILITIES_HEADER = "X-Ich-Probabilities";
    static final String INSTANCE_HEADER = "X-Ich-Sop-Instance-Uid";
    static final String BRAIN_WINDOW_HEADER = "X-Ich-Brain-Window-Passed";

    @Inject
    AuditEntities audit;
    @Inject
    Serving serving;
    @Inject
    SlicePredictions predictions;
    @Inject
    Explanations explanations;
    @Inject
    InferenceConfig config;
    @Inject
    InferenceMetrics metrics;
    @Inject
    PredictionsPublisher published;

    public record ModelRef(String name, String version) {
    }

    public record SliceAnswer(ModelRef model, SliceResult slice) {
    }

    /**
     * The JSON answer ({@link SliceAnswer}); with {@code explain=true} the Grad-CAM overlay of {@code label} (default:
     * the most probable) as image/png, with the model, label and probabilities in {@code X-Ich-*} headers.
     */
    @RolesAllowed({Roles.CLINICIAN})
    @Audited("E")
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, PNG})
    @RequestBody(required = true, content = @Content(mediaType = DICOM, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "200", description = "every label's probability for the slice, or with explain=true the explanation", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SliceAnswer.class)),
            @Content(mediaType = PNG, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "400", description = "not DICOM, or label without explain=true")
    @APIResponse(responseCode = "413", description = "the instance exceeds ich.inference.max-instance-bytes")
    @APIResponse(responseCode = "415", description = "the body is not application/dicom")
    @APIResponse(responseCode = "422", description = "DICOM, but not a slice the model reads (the code names why)")
    @APIResponse(responseCode = "503", description = "no model is served yet")
    public Response predict(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @QueryParam("explain") boolean explain,
                            @QueryParam("label") String label, InputStream body) {
        long t0 = System.nanoTime();
        try {
            MediaType type = parse(contentType);
            if (type == null || !type.isCompatible(MediaType.valueOf(DICOM))) {
                throw new ApiProblem(415, "WrongContentType", "POST /predict takes one application/dicom body, got "
                        + (contentType == null ? "no Content-Type" : contentType) + " (a study goes to POST /predict/study)");
            }
            if (label != null && !explain) {
                throw new ApiProblem(400, "LabelWithoutExplain", "label=" + label + " chooses the label of an explanation: add explain=true"
                        + " (the JSON answer has every label's probability)", "label", null);
            }
            byte[] dicom = Bodies.read(body, config.maxInstanceBytes().asLongValue(), "ich.inference.max-instance-bytes");
            try (Serving.Lease lease = serving.lease()) {
                if (explain) return explained(lease, dicom, label);
                SliceResult r = predictions.predict(lease.model(), dicom, "request", SlicePrediction.PREDICT);
                audited(r.studyInstanceUid(), r.seriesInstanceUid(), r.sopInstanceUid());
                return Response.ok(new SliceAnswer(new ModelRef(lease.model().name(), lease.model().version()), r), MediaType.APPLICATION_JSON_TYPE)
                        .build();
            }
        } catch (ApiProblem e) {
            metrics.rejected(e.code());
            throw e;
        } finally {
            metrics.request(explain ? "explain" : "predict", System.nanoTime() - t0);
        }
    }

    private Response explained(Serving.Lease lease, byte[] dicom, String label) {
        long t0 = System.nanoTime();
        Explanations.Explained e = explanations.explainSlice(lease.model(), dicom, label, "request");
        // An explanation answers the slice's probabilities too: a prediction like any other (its pass is the Grad-CAM one).
        published.publish(lease.model(), e.slice(), e.probabilities(), (System.nanoTime() - t0) / 1e6, SlicePrediction.PREDICT);
        audited(e.slice().studyInstanceUid(), e.slice().seriesInstanceUid(), e.slice().sopInstanceUid());
        return Response.ok(e.explanation().png(), PNG)
                .header(MODEL_HEADER, lease.model().name())
                .header(VERSION_HEADER, lease.model().version())
                .header(LABEL_HEADER, e.explanation().label())
                .header(PROBABILITY_HEADER, String.format(Locale.ROOT, "%.6f", e.explanation().probability()))
                .header(PROBABILITIES_HEADER, e.probabilities().entrySet().stream()
                        .map(p -> p.getKey() + "=" + String.format(Locale.ROOT, "%.6f", p.getValue())).collect(Collectors.joining(",")))
                .header(INSTANCE_HEADER, e.explanation().sopInstanceUid())
                .header(BRAIN_WINDOW_HEADER, e.slice().brainWindowPassed())
                .build();
    }

    /**
     * A label's study-level answer over the slices that pass the drop rule (all when none does): the highest slice
     * probability, the slice that has it, and every such slice above 0.5.
     */
    public record StudyLabel(double probability, String slice, List<String> slicesAbove05) {
    }

    /** A part that could not be predicted (its 1-based index in the body), the others are still answered. */
    public record FailedPart(int part, String sopInstanceUid, int status, String problem, String reason) {
    }

    public record StudyAnswer(ModelRef model, String studyInstanceUid, List<SliceResult> slices, Map<String, StudyLabel> study,
                              List<FailedPart> failed) {
    }

    @RolesAllowed({Roles.CLINICIAN})
    @Audited("E")
    @POST
    @Path("/study")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = true, content = @Content(mediaType = "multipart/related; type=\"application/dicom\"",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "200", description = "each slice's probabilities, each label's for the study, and the parts that failed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StudyAnswer.class)))
    @APIResponse(responseCode = "400", description = "a malformed multipart body, or one without parts")
    @APIResponse(responseCode = "413", description = "the study exceeds ich.inference.max-study-bytes")
    @APIResponse(responseCode = "415", description = "the body is not multipart/related; type=\"application/dicom\"")
    @APIResponse(responseCode = "422", description = "not one part could be predicted")
    @APIResponse(responseCode = "503", description = "no model is served yet")
    public StudyAnswer predictStudy(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        long t0 = System.nanoTime();
        try {
            MediaType type = parse(contentType);
            if (type == null || !type.isCompatible(new MediaType("multipart", "related"))
                    || !DICOM.equalsIgnoreCase(unquote(type.getParameters().get("type")))) {
                throw new ApiProblem(415, "WrongContentType", "POST /predict/study takes multipart/related; type=\"application/dicom\";"
                        + " boundary=... (the STOW-RS body), got " + (contentType == null ? "no Content-Type" : contentType));
            }
            String boundary = unquote(type.getParameters().get("boundary"));
            if (boundary == null || boundary.isEmpty()) throw new ApiProblem(400, "MalformedMultipart", "Content-Type names no boundary");
            List<Bodies.Part> parts = Bodies.parts(Bodies.read(body, config.maxStudyBytes().asLongValue(), "ich.inference.max-study-bytes"),
                    boundary);
            if (parts.isEmpty()) throw new ApiProblem(400, "MalformedMultipart", "the body holds no parts");
            try (Serving.Lease lease = serving.lease()) {
                StudyAnswer answer = study(lease, parts);
                answer.slices().forEach(this::audited);
                return answer;
            }
        } catch (ApiProblem e) {
            metrics.rejected(e.code());
            throw e;
        } finally {
            metrics.request("study", System.nanoTime() - t0);
        }
    }

    /** The audit record of a prediction names the patient data it read: the slice, its series and study. */
    private void audited(SliceResult r) {
        audited(r.studyInstanceUid(), r.seriesInstanceUid(), r.sopInstanceUid());
    }

    private void audited(String study, String series, String instance) {
        audit.add("study", study);
        audit.add("series", series);
        audit.add("instance", instance);
    }

    private StudyAnswer study(Serving.Lease lease, List<Bodies.Part> parts) {
        List<byte[]> bodies = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<FailedPart> failed = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Bodies.Part p = parts.get(i);
            MediaType t = parse(p.contentType().isEmpty() ? "text/plain" : p.contentType());
            if (t == null || !t.isCompatible(MediaType.valueOf(DICOM))) {
                failed.add(new FailedPart(i + 1, null, 415, "WrongContentType", "part of type " + (p.contentType().isEmpty() ? "(none)"
                        : p.contentType()) + ": only application/dicom instances are predicted"));
                continue;
            }
            if (p.body().length > config.maxInstanceBytes().asLongValue()) {
                failed.add(new FailedPart(i + 1, null, 413, "TooLarge", "instance of " + p.body().length + " bytes exceeds "
                        + config.maxInstanceBytes().asLongValue() + " bytes (ich.inference.max-instance-bytes)"));
                continue;
            }
            bodies.add(p.body());
            names.add("part-" + (i + 1));
            index.add(i + 1);
        }
        List<CompletableFuture<SliceResult>> futures = predictions.predictAll(lease.model(), bodies, names, SlicePrediction.PREDICT);
        List<SliceResult> slices = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                slices.add(SlicePredictions.join(futures.get(i)));
            } catch (ApiProblem e) {
                if (e.status() == 503 || e.status() >= 500) throw e;
                failed.add(new FailedPart(index.get(i), null, e.status(), e.code(), e.getMessage()));
            }
        }
        failed.sort(Comparator.comparingInt(FailedPart::part));
        if (slices.isEmpty()) {
            throw new ApiProblem(422, "NoSlices", "none of the " + parts.size() + " parts could be predicted; first: "
                    + failed.get(0).reason());
        }
        // Head to feet along the patient axis (ImagePositionPatient z descending), then instance number, then body order.
        slices.sort(Comparator.comparing((SliceResult s) -> s.position() == null ? Double.POSITIVE_INFINITY : -s.position())
                .thenComparing(s -> s.instanceNumber() == null ? Long.MAX_VALUE : s.instanceNumber()));
        // The study's call rests on the slices the model learnt from: those the drop rule keeps (above the head and at
        // the teeth the model never saw a slice, and its answers there are noise). All slices when none passes.
        List<SliceResult> inScope = slices.stream().filter(s -> s.brainWindow() == null || s.brainWindow().passed()).toList();
        List<SliceResult> deciding = inScope.isEmpty() ? slices : inScope;
        Map<String, StudyLabel> study = new LinkedHashMap<>();
        for (String label : lease.model().labels()) {
            SliceResult top = deciding.stream().max(Comparator.comparingDouble(s -> s.probabilities().get(label))).orElseThrow();
            study.put(label, new StudyLabel(top.probabilities().get(label), top.sopInstanceUid(),
                    deciding.stream().filter(s -> s.probabilities().get(label) > 0.5).map(SliceResult::sopInstanceUid).toList()));
        }
        String studyUid = slices.stream().map(SliceResult::studyInstanceUid).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        return new StudyAnswer(new ModelRef(lease.model().name(), lease.model().version()), studyUid, slices, study, failed);
    }

    static MediaType parse(String contentType) {
        try {
            return contentType == null ? null : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String unquote(String s) {
        if (s == null) return null;
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}

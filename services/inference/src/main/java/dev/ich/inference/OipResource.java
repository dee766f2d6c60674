package dev.ich.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.contract.Roles;
import dev.ich.core.event.Events;
import dev.ich.core.event.SlicePrediction;
import dev.ich.inference.SlicePredictions.SliceResult;
import dev.ich.inference.serving.Batcher;
import dev.ich.inference.serving.ServedModel;
import dev.ich.inference.serving.Serving;
import dev.ich.runtime.audit.Audited;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The Open Inference Protocol v2 (KServe's REST flavour), so KServe-style clients work unchanged: health, server and
 * model metadata, and infer with either a BYTES input of base64 DICOM slices (preprocessed here, as for
 * {@code /predict}) or an FP32 tensor {@code [N, C, H, W]} already preprocessed. One FP32 output per label, named
 * after it. Every error is {@code {"error": "..."}} with the HTTP status. The binary tensor data extension: inputs
 * as raw little-endian bytes after the JSON ({@link InferRequest}), and outputs so when asked ({@code binary_data},
 * {@code binary_data_output}); the answer is JSON alone otherwise.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = OipDocument.TAG)
@APIResponse(responseCode = "200", description = "the protocol's answer", content = @Content(mediaType = MediaType.APPLICATION_JSON,
        schema = @Schema(type = SchemaType.OBJECT)))
@APIResponse(responseCode = "400", description = "a request the protocol or the model cannot take")
@APIResponse(responseCode = "404", description = "no such model or version here")
@APIResponse(responseCode = "413", description = "the request exceeds ich.inference.max-study-bytes")
@APIResponse(responseCode = "503", description = "no model is served yet")
@APIResponse(responseCode = "500", description = "a failure of the service itself")
public class OipResource {
    static final String DICOM_INPUT = "dicom";
    static final String IMAGE_INPUT = "image";
    static final String BRAIN_WINDOW_OUTPUT = "brain_window_passed";

    @Inject
    Serving serving;
    @Inject
    SlicePredictions predictions;
    @Inject
    InferenceConfig config;
    @Inject
    InferenceMetrics metrics;

    @RolesAllowed({Roles.CLINICIAN, Roles.READER})
    @GET
    public ObjectNode server() {
        ObjectNode n = Events.JSON.createObjectNode().put("name", "ich-inference").put("version", "2");
        n.putArray("extensions").add("binary_tensor_data");
        return n;
    }

    @RolesAllowed({Roles.CLINICIAN, Roles.READER})
    @GET
    @Path("/health/live")
    public ObjectNode live() {
        return Events.JSON.createObjectNode().put("live", true);
    }

    @RolesAllowed({Roles.CLINICIAN, Roles.READER})
    @GET
    @Path("/health/ready")
    @APIResponse(responseCode = "200", description = "a model is served", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "503", description = "no model is served yet: ready false, and why", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    public Response ready() {
        return readiness();
    }

    @RolesAllowed({Roles.CLINICIAN, Roles.READER})
    @GET
    @Path("/models/{model}/ready")
    public Response modelReady(@PathParam("model") String model) {
        return guard(() -> {
            known(model);
            return readiness();
        });
    }

    @RolesAllowed({Roles.CLINICIAN, Roles.READER})
    @GET
    @Path("/models/{model}")
    public Response metadata(@PathParam("model") String model) {
        return guard(() -> Response.ok(metadata(leaseFree(model))).build());
    }

    @RolesAllowed({Roles.CLINICIAN, Roles.READER})
    @GET
    @Path("/models/{model}/versions/{version}")
    public Response versionMetadata(@PathParam("model") String model, @PathParam("version") String version) {
        return guard(() -> {
            ServedModel m = leaseFree(model);
            requireVersion(m, version);
            return Response.ok(metadata(m)).build();
        });
    }

    @RolesAllowed({Roles.CLINICIAN})
    @Audited("E")
    @POST
    @Path("/models/{model}/infer")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @RequestBody(required = true, description = "the inference request as JSON, or with Inference-Header-Content-Length the binary"
            + " tensor extension (JSON header, then the tensors); the Content-Type is not read",
            content = @Content(mediaType = MediaType.WILDCARD, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "200", description = "the outputs, as JSON or with the binary tensor data extension", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)),
            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    public Response infer(@PathParam("model") String model, @HeaderParam(InferRequest.HEADER_LENGTH) String headerLength, InputStream body) {
        return infer(model, null, headerLength, body);
    }

    @RolesAllowed({Roles.CLINICIAN})
    @Audited("E")
    @POST
    @Path("/models/{model}/versions/{version}/infer")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @RequestBody(required = true, description = "the inference request as JSON, or with Inference-Header-Content-Length the binary"
            + " tensor extension (JSON header, then the tensors); the Content-Type is not read",
            content = @Content(mediaType = MediaType.WILDCARD, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "200", description = "the outputs, as JSON or with the binary tensor data extension", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)),
            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    public Response inferVersion(@PathParam("model") String model, @PathParam("version") String version,
                                 @HeaderParam(InferRequest.HEADER_LENGTH) String headerLength, InputStream body) {
        return infer(model, version, headerLength, body);
    }

    private Response infer(String model, String version, String headerLength, InputStream body) {
        long t0 = System.nanoTime();
        try {
            return guard(() -> {
                known(model);
                InferRequest request = InferRequest.parse(Bodies.read(body, config.maxInferBytes().asLongValue(), "ich.inference.max-infer-bytes"),
                        headerLength);
                try (Serving.Lease lease = serving.lease()) {
                    if (version != null) requireVersion(lease.model(), version);
                    return infer(lease.model(), request);
                }
            });
        } finally {
            metrics.request("oip-infer", System.nanoTime() - t0);
        }
    }

    private Response infer(ServedModel model, InferRequest request) {
        List<InferRequest.Input> inputs = request.inputs();
        if (inputs.size() != 1) {
            throw new ApiProblem(400, "BadInputs", "\"inputs\" must hold exactly one input: \"" + DICOM_INPUT + "\" (BYTES, base64 DICOM)"
                    + " or \"" + IMAGE_INPUT + "\" (FP32, shape [N, C, H, W])");
        }
        InferRequest.Input input = inputs.get(0);
        String datatype = input.datatype();
        List<float[]> probabilities = new ArrayList<>();
        List<Boolean> brainWindow = null;
        if (datatype.equals("BYTES")) {
            brainWindow = new ArrayList<>();
            for (SliceResult r : dicom(model, input, request.body())) {
                float[] p = new float[model.labels().size()];
                for (int k = 0; k < p.length; k++) p[k] = r.probabilities().get(model.labels().get(k)).floatValue();
                probabilities.add(p);
                brainWindow.add(r.brainWindow().passed());
            }
        } else if (datatype.equals("FP32")) {
            for (Batcher.Output o : tensor(model, input, request.body())) probabilities.add(o.probabilities());
        } else {
            throw new ApiProblem(400, "BadDatatype", "input \"" + input.name() + "\" has datatype \"" + datatype
                    + "\": send BYTES (DICOM: base64 in JSON, or length-prefixed binary) or FP32 ([N, C, H, W] in [0, 1], JSON numbers or"
                    + " little-endian binary)");
        }
        Set<String> wanted = requestedOutputs(model, request, brainWindow != null);
        ObjectNode out = Events.JSON.createObjectNode().put("model_name", config.servedName()).put("model_version", model.version());
        if (request.id() != null) out.put("id", request.id());
        out.putObject("parameters").put("model", model.name());
        ArrayNode outputs = out.putArray("outputs");
        int n = probabilities.size();
        java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        boolean anyBinary = false;
        for (int k = 0; k < model.labels().size(); k++) {
            String label = model.labels().get(k);
            if (!wanted.contains(label)) continue;
            ObjectNode o = outputs.addObject().put("name", label).put("datatype", "FP32");
            o.putArray("shape").add(n);
            if (request.binary(label)) {
                ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] p : probabilities) b.putFloat(p[k]);
                binary.writeBytes(b.array());
                o.putObject("parameters").put("binary_data_size", 4 * n);
                anyBinary = true;
            } else {
                ArrayNode data = o.putArray("data");
                for (float[] p : probabilities) data.add(p[k]);
            }
        }
        if (brainWindow != null && wanted.contains(BRAIN_WINDOW_OUTPUT)) {
            ObjectNode o = outputs.addObject().put("name", BRAIN_WINDOW_OUTPUT).put("datatype", "BOOL");
            o.putArray("shape").add(n);
            if (request.binary(BRAIN_WINDOW_OUTPUT)) {
                for (boolean passed : brainWindow) binary.write(passed ? 1 : 0);
                o.putObject("parameters").put("binary_data_size", n);
                anyBinary = true;
            } else {
                ArrayNode data = o.putArray("data");
                brainWindow.forEach(data::add);
            }
        }
        if (!anyBinary) return Response.ok(out, MediaType.APPLICATION_JSON_TYPE).build();
        byte[] header;
        try {
            header = Events.JSON.writeValueAsBytes(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        byte[] body = java.util.Arrays.copyOf(header, header.length + binary.size());
        System.arraycopy(binary.toByteArray(), 0, body, header.length, binary.size());
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE).header(InferRequest.HEADER_LENGTH, header.length).build();
    }

    private List<SliceResult> dicom(ServedModel model, InferRequest.Input input, byte[] body) {
        List<byte[]> slices = input.binary() ? binaryElements(input, body) : base64Elements(input);
        checkShape(input, slices.size());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) names.add("element-" + i);
        List<CompletableFuture<SliceResult>> futures = predictions.predictAll(model, slices, names, SlicePrediction.OIP);
        List<SliceResult> out = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(SlicePredictions.join(futures.get(i)));
            } catch (ApiProblem e) {
                throw new ApiProblem(e.status(), e.code(), "element " + i + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static List<byte[]> base64Elements(InferRequest.Input input) {
        List<String> data = input.strings();
        if (input.count() > 0 || input.other() != null) throw new ApiProblem(400, "BadInputs", "BYTES elements must be base64 strings");
        if (data.isEmpty()) throw new ApiProblem(400, "BadInputs", "BYTES input needs \"data\": [\"<base64 DICOM>\", ...]");
        List<byte[]> slices = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            try {
                slices.add(Base64.getDecoder().decode(data.get(i).replaceAll("\\s", "")));
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(400, "BadInputs", "BYTES element " + i + " is not base64: " + e.getMessage());
            }
        }
        return slices;
    }

    /** The extension's BYTES framing: each element a 4-byte little-endian length, then that many bytes, filling the size exactly. */
    private static List<byte[]> binaryElements(InferRequest.Input input, byte[] body) {
        List<byte[]> slices = new ArrayList<>();
        long at = input.binaryOffset(), end = at + input.binarySize();
        while (at < end) {
            if (end - at < 4) {
                throw new ApiProblem(400, "BinarySizeMismatch", "BYTES input \"" + input.name() + "\": " + (end - at) + " bytes left after element "
                        + (slices.size() - 1) + ", too few for the next element's 4-byte length");
            }
            long length = ByteBuffer.wrap(body, (int) at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            at += 4;
            if (length > end - at) {
                throw new ApiProblem(400, "BinarySizeMismatch", "BYTES element " + slices.size() + " of input \"" + input.name() + "\" says "
                        + length + " bytes, only " + (end - at) + " of its binary_data_size are left");
            }
            slices.add(java.util.Arrays.copyOfRange(body, (int) at, (int) (at + length)));
            at += length;
        }
        if (slices.isEmpty()) {
            throw new ApiProblem(400, "BadInputs", "BYTES input \"" + input.name() + "\" has binary_data_size 0: it needs at least one DICOM element");
        }
        return slices;
    }

    private List<Batcher.Output> tensor(ServedModel model, InferRequest.Input input, byte[] body) {
        int c = model.spec().channels(), side = model.spec().imageSize();
        JsonNode shape = input.shape();
        String expected = "[N, " + c + ", " + side + ", " + side + "]";
        if (shape == null || !shape.isArray() || shape.size() != 4 || !shape.get(0).canConvertToInt() || shape.get(0).asInt() < 1
                || shape.get(1).asInt() != c || shape.get(2).asInt() != side || shape.get(3).asInt() != side) {
            throw new ApiProblem(400, "WrongShape", "FP32 input must have shape " + expected + " for model " + model + ", got " + shape);
        }
        int n = shape.get(0).asInt();
        long count = (long) n * c * side * side;
        float[] values;
        if (input.binary()) {
            if (input.binarySize() != count * Float.BYTES) {
                throw new ApiProblem(400, "BinarySizeMismatch", "FP32 input \"" + input.name() + "\" of shape " + shape + " is " + count + " values of "
                        + Float.BYTES + " bytes = " + count * Float.BYTES + " bytes, its binary_data_size is " + input.binarySize()
                        + (input.binarySize() == count * 2 ? " (FP16-sized: this model takes FP32)" : input.binarySize() == count * 8
                        ? " (FP64-sized: this model takes FP32)" : ""));
            }
            values = new float[(int) count];
            ByteBuffer.wrap(body, input.binaryOffset(), (int) input.binarySize()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            if (!input.strings().isEmpty() || input.other() != null) {
                throw new ApiProblem(400, "BadValue", "FP32 data holds " + (input.strings().isEmpty() ? input.other()
                        : "string \"" + input.strings().get(0) + "\"") + ": only numbers");
            }
            if (input.count() != count) {
                throw new ApiProblem(400, "WrongShape", "shape " + shape + " needs " + count + " values, data holds " + input.count());
            }
            values = input.floats().length == count ? input.floats() : java.util.Arrays.copyOf(input.floats(), (int) count);
        }
        for (int i = 0; i < count; i++) {
            if (!Float.isFinite(values[i])) throw new ApiProblem(400, "BadValue", "value " + values[i] + " at index " + i + " is not finite");
        }
        return predictions.predictTensors(model, values, n);
    }

    private static void checkShape(InferRequest.Input input, int elements) {
        JsonNode shape = input.shape();
        if (shape == null) return;
        long product = 1;
        for (JsonNode d : shape) product *= d.asLong();
        if (!shape.isArray() || shape.isEmpty() || shape.get(0).asLong() != elements || product != elements) {
            throw new ApiProblem(400, "WrongShape", "BYTES input shape " + shape + " does not match its data [" + elements + "]");
        }
    }

    private Set<String> requestedOutputs(ServedModel model, InferRequest request, boolean dicom) {
        Set<String> all = new LinkedHashSet<>(model.labels());
        if (dicom) all.add(BRAIN_WINDOW_OUTPUT);
        if (request.outputs().isEmpty()) return all;
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : request.outputs().stream().map(InferRequest.Output::name).toList()) {
            if (!all.contains(name)) throw new ApiProblem(400, "UnknownOutput", "no output \"" + name + "\"; outputs: " + all);
            wanted.add(name);
        }
        return wanted;
    }

    private ObjectNode metadata(ServedModel m) {
        ObjectNode n = Events.JSON.createObjectNode().put("name", config.servedName());
        n.putArray("versions").add(m.version());
        n.put("platform", "djl_pytorch");
        ArrayNode inputs = n.putArray("inputs");
        ObjectNode dicom = inputs.addObject().put("name", DICOM_INPUT).put("datatype", "BYTES");
        dicom.putArray("shape").add(-1);
        ObjectNode image = inputs.addObject().put("name", IMAGE_INPUT).put("datatype", "FP32");
        image.putArray("shape").add(-1).add(m.spec().channels()).add(m.spec().imageSize()).add(m.spec().imageSize());
        ArrayNode outputs = n.putArray("outputs");
        for (String label : m.labels()) {
            ObjectNode o = outputs.addObject().put("name", label).put("datatype", "FP32");
            o.putArray("shape").add(-1);
        }
        ObjectNode bw = outputs.addObject().put("name", BRAIN_WINDOW_OUTPUT).put("datatype", "BOOL");
        bw.putArray("shape").add(-1);
        ObjectNode p = n.putObject("parameters").put("model", m.name()).put("architecture", m.spec().architecture().name().toLowerCase())
                .put("task", m.spec().task().name().toLowerCase()).put("pipeline", m.preprocessing().version().id());
        p.put("brain_window_threshold", m.preprocessing().config().dropThreshold());
        return n;
    }

    private Response readiness() {
        String reason = serving.notReadyReason();
        if (reason == null) return Response.ok(Events.JSON.createObjectNode().put("ready", true)).build();
        return Response.status(503).entity(Events.JSON.createObjectNode().put("ready", false).put("error", reason)).build();
    }

    private void known(String model) {
        if (!config.servedName().equals(model)) {
            throw new ApiProblem(404, "UnknownModel", "no model \"" + model + "\" here; this server serves \"" + config.servedName() + "\"");
        }
    }

    private ServedModel leaseFree(String model) {
        known(model);
        return serving.current().orElseThrow(() -> new ApiProblem(503, "NoModel", serving.notReadyReason()));
    }

    private static void requireVersion(ServedModel m, String version) {
        if (!m.version().equals(version)) {
            throw new ApiProblem(404, "UnknownVersion", "version " + version + " is not served; " + m.version() + " is");
        }
    }

    private interface Call {
        Response run();
    }

    /**
     * Every failure in the protocol's own shape: the Open Inference Protocol (KServe v2) answers errors as
     * {@code {"error": "..."}}, and its clients (Triton's, KServe's) read that, so /v2 keeps it rather than the
     * Problem body of the rest of ich. Only what this resource itself refuses; a path or method Quarkus REST
     * refuses before reaching it still answers a Problem.
     */
    private Response guard(Call call) {
        try {
            return call.run();
        } catch (ApiProblem e) {
            metrics.rejected(e.code());
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                    .entity(Events.JSON.createObjectNode().put("error", e.getMessage())).build();
        }
    }
}

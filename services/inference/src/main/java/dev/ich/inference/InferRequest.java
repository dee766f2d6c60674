package dev.ich.inference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.event.Events;
import dev.ich.runtime.problem.ApiProblem;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Open Inference Protocol infer request, read with Jackson's streaming parser: an FP32 tensor of a 256 px image
 * is 196,608 numbers, and a JSON tree would make an object of each (the tree cost more than the forward pass).
 * Numbers go straight into a float array, nested arrays flattened in row-major order.
 * <p>
 * With the binary tensor data extension the body is the JSON object ({@code Inference-Header-Content-Length} bytes)
 * followed by the inputs' raw bytes, in the order of the inputs that declare {@code parameters.binary_data_size};
 * each input then knows where its bytes lie ({@link Input#binaryOffset()}). The framing is checked here: the header
 * must be exactly one JSON object, and the declared sizes must add up to the bytes after it.
 */
record InferRequest(String id, List<Input> inputs, List<Output> outputs, boolean binaryOutputs, byte[] body) {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    /**
     * One input; {@code floats[0..count)} holds its numbers, {@code strings} its strings, {@code other} the first other
     * value. {@code binarySize} is -1 for data in the JSON, else its bytes at {@code binaryOffset} of the body.
     */
    record Input(String name, String datatype, JsonNode shape, float[] floats, int count, List<String> strings, String other,
                 boolean hasData, long binarySize, int binaryOffset) {
        boolean binary() {
            return binarySize >= 0;
        }

        Input at(int offset) {
            return new Input(name, datatype, shape, floats, count, strings, other, hasData, binarySize, offset);
        }
    }

    /** A requested output; {@code binary} null when the request leaves it to {@code binary_data_output}. */
    record Output(String name, Boolean binary) {
    }

    /** Whether output {@code name} goes as binary data: its own parameter, else the request's. */
    boolean binary(String name) {
        for (Output o : outputs) if (o.name().equals(name) && o.binary() != null) return o.binary();
        return binaryOutputs;
    }

    /** A body that is JSON alone ({@code headerLength} null) or a JSON header of that many bytes and binary data. */
    static InferRequest parse(byte[] body, String headerLength) {
        int jsonLength = headerLength == null ? body.length : jsonLength(headerLength, body.length);
        Parsed parsed = parseJson(body, jsonLength);
        InferRequest r = parsed.request();
        if (parsed.objectEnd() >= 0) {
            boolean declaresBinary = r.inputs().stream().anyMatch(Input::binary);
            if (headerLength == null && declaresBinary) {
                throw new ApiProblem(400, "MissingHeaderLength", "an input declares binary_data_size but the request has no " + HEADER_LENGTH
                        + " header: send the JSON's length in it (this JSON object ends after " + parsed.objectEnd() + " bytes)");
            }
            throw bad(headerLength != null ? "the JSON object ends after " + parsed.objectEnd() + " bytes, before the " + jsonLength + " bytes "
                    + HEADER_LENGTH + " gives it: the header length must count the JSON object alone"
                    : "the body holds more after its JSON object: send one object");
        }
        long declared = 0;
        List<Input> placed = new ArrayList<>();
        for (Input in : r.inputs()) {
            if (!in.binary()) {
                placed.add(in);
                continue;
            }
            if (headerLength == null) {
                throw new ApiProblem(400, "MissingHeaderLength", "input \"" + in.name() + "\" declares binary_data_size " + in.binarySize()
                        + " but the request has no " + HEADER_LENGTH + " header: send the JSON header's length in bytes in it, and the"
                        + " tensor bytes after the JSON");
            }
            if (in.hasData()) {
                throw new ApiProblem(400, "BadInputs", "input \"" + in.name() + "\" has both \"data\" and binary_data_size: send its values"
                        + " in one of them");
            }
            placed.add(in.at((int) Math.min(Integer.MAX_VALUE, jsonLength + declared)));
            declared += in.binarySize();
        }
        long binary = body.length - (long) jsonLength;
        if (declared != binary) {
            throw new ApiProblem(400, "BinarySizeMismatch", "the inputs' binary_data_size add up to " + declared + " bytes, but " + binary
                    + " bytes follow the " + jsonLength + "-byte JSON header (" + HEADER_LENGTH + "): "
                    + (declared > binary ? "the body is short of " + (declared - binary) + " bytes" : (binary - declared)
                    + " bytes are not declared by any input"));
        }
        return new InferRequest(r.id(), placed, r.outputs(), r.binaryOutputs(), body);
    }

    private static int jsonLength(String header, int bodyLength) {
        long n;
        try {
            n = Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw new ApiProblem(400, "BadHeaderLength", HEADER_LENGTH + " must be the length in bytes of the JSON at the start of the"
                    + " body, a decimal integer; got \"" + header + "\"");
        }
        if (n < 2 || n > bodyLength) {
            throw new ApiProblem(400, "BadHeaderLength", HEADER_LENGTH + " says the JSON header holds " + n + " bytes, but the body holds "
                    + bodyLength + ": it must be the JSON object's length, at least 2 and at most the body's");
        }
        return (int) n;
    }

    /** {@code objectEnd}: where the JSON object ends when more follows it within the JSON's length, else -1. */
    private record Parsed(InferRequest request, long objectEnd) {
    }

    private static Parsed parseJson(byte[] body, int length) {
        try (JsonParser p = Events.JSON.getFactory().createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad("the body must be a JSON object");
            String id = null;
            List<Input> inputs = null;
            List<Output> outputs = new ArrayList<>();
            boolean binaryOutputs = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> id = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "inputs" -> {
                        if (t != JsonToken.START_ARRAY) throw bad("\"inputs\" must be an array");
                        inputs = new ArrayList<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) inputs.add(input(p));
                    }
                    case "outputs" -> {
                        if (t == JsonToken.START_ARRAY) {
                            for (JsonNode o : (JsonNode) Events.JSON.readTree(p)) {
                                outputs.add(new Output(o.path("name").asText(), flag(o.path("parameters"), "binary_data", "output \""
                                        + o.path("name").asText() + "\"")));
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "parameters" -> {
                        Boolean b = flag(Events.JSON.readTree(p), "binary_data_output", "the request");
                        binaryOutputs = b != null && b;
                    }
                    default -> p.skipChildren();
                }
            }
            long end = p.currentLocation().getByteOffset();
            boolean more;
            try {
                more = p.nextToken() != null;
            } catch (IOException e) {
                more = true; // bytes after the object that are no JSON at all, such as tensor data
            }
            return new Parsed(new InferRequest(id, inputs == null ? List.of() : inputs, outputs, binaryOutputs, body), more ? end : -1);
        } catch (IOException e) {
            throw new ApiProblem(400, "MalformedJson", "the body is not JSON" + (length < body.length ? " in its first " + length + " bytes ("
                    + HEADER_LENGTH + ")" : "") + ": " + e.getMessage());
        }
    }

    /** A boolean parameter, null when absent; anything else than true/false is refused. */
    private static Boolean flag(JsonNode parameters, String name, String of) {
        JsonNode v = parameters == null ? null : parameters.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw new ApiProblem(400, "BadParameter", "parameter " + name + " of " + of + " must be true or false, got " + v);
        return v.booleanValue();
    }

    private static Input input(JsonParser p) throws IOException {
        String name = "", datatype = "";
        JsonNode shape = null;
        float[] floats = new float[1024];
        int[] count = {0};
        List<String> strings = new ArrayList<>();
        String[] other = {null};
        boolean hasData = false;
        long binarySize = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> name = p.getValueAsString("");
                case "datatype" -> datatype = p.getValueAsString("");
                case "shape" -> shape = Events.JSON.readTree(p);
                case "data" -> {
                    hasData = true;
                    floats = data(p, t, floats, count, strings, other);
                }
                case "parameters" -> binarySize = binarySize(Events.JSON.readTree(p), name);
                default -> p.skipChildren();
            }
        }
        return new Input(name, datatype, shape, floats, count[0], strings, other[0], hasData, binarySize, -1);
    }

    private static long binarySize(JsonNode parameters, String input) {
        JsonNode v = parameters == null ? null : parameters.get("binary_data_size");
        if (v == null || v.isNull()) return -1;
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new ApiProblem(400, "BadParameter", "binary_data_size of input \"" + input + "\" must be a whole number of bytes (0 or more),"
                    + " got " + v);
        }
        return v.asLong();
    }

    /** Reads a (nested) array of values; returns the float array, grown as needed. */
    private static float[] data(JsonParser p, JsonToken t, float[] floats, int[] count, List<String> strings, String[] other) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            other[0] = other[0] == null ? "\"data\" is not an array" : other[0];
            p.skipChildren();
            return floats;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken v = p.nextToken();
            if (v == null) throw new IOException("the body ends inside \"data\"");
            switch (v) {
                case START_ARRAY -> depth++;
                case END_ARRAY -> depth--;
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    if (count[0] == floats.length) floats = Arrays.copyOf(floats, floats.length * 2);
                    floats[count[0]++] = p.getFloatValue();
                }
                case VALUE_STRING -> strings.add(p.getText());
                default -> {
                    if (other[0] == null) other[0] = v.asString() == null ? v.name().toLowerCase() : v.asString();
                    p.skipChildren();
                }
            }
        }
        return floats;
    }

    private static ApiProblem bad(String reason) {
        return new ApiProblem(400, "MalformedJson", reason);
    }
}

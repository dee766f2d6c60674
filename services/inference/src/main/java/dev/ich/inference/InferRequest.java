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
 */
record InferRequest(String id, List<Input> inputs, List<String> outputs) {

    /** One input; {@code floats[0..count)} holds its numbers, {@code strings} its strings, {@code other} the first other value. */
    record Input(String name, String datatype, JsonNode shape, float[] floats, int count, List<String> strings, String other,
                 boolean hasData) {
    }

    static InferRequest parse(byte[] body) {
        try (JsonParser p = Events.JSON.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad("the body must be a JSON object");
            String id = null;
            List<Input> inputs = null;
            List<String> outputs = new ArrayList<>();
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
                            for (JsonNode o : (JsonNode) Events.JSON.readTree(p)) outputs.add(o.path("name").asText());
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return new InferRequest(id, inputs == null ? List.of() : inputs, outputs);
        } catch (IOException e) {
            throw new ApiProblem(400, "MalformedJson", "the body is not JSON: " + e.getMessage());
        }
    }

    private static Input input(JsonParser p) throws IOException {
        String name = "", datatype = "";
        JsonNode shape = null;
        float[] floats = new float[1024];
        int[] count = {0};
        List<String> strings = new ArrayList<>();
        String[] other = {null};
        boolean hasData = false;
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
                default -> p.skipChildren();
            }
        }
        return new Input(name, datatype, shape, floats, count[0], strings, other[0], hasData);
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

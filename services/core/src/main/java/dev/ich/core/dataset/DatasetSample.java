package dev.ich.core.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.contract.Uids;
import dev.ich.core.event.Events;
import dev.ich.core.label.Label;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * One slice of a dataset: its SOP Instance UID (the shard entry name), patient (for the split),
 * the six labels, the cleaned PNG and a small metadata map (the subgroups a model's metrics are broken down by:
 * {@link SampleMetadata}). The PNG array is not copied; do not change it.
 *
 * @param labels   every {@link Label}, each 0 or 1; kept in {@link Label} order
 * @param metadata subgroup values by {@link SampleMetadata} key; empty for shards written before it existed
 */
public record DatasetSample(String uid, String patient, Map<Label, Integer> labels, byte[] png, Map<String, String> metadata) {

    /** A sample without metadata. */
    public DatasetSample(String uid, String patient, Map<Label, Integer> labels, byte[] png) {
        this(uid, patient, labels, png, Map.of());
    }

    public DatasetSample {
        Uids.require("SOPInstanceUID", uid); // a DICOM UID or an RSNA ID_<hex>: safe as a tar entry name
        if (patient == null || patient.isBlank()) throw new IllegalArgumentException("sample " + uid + " has no patient");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(png, "png");
        EnumMap<Label, Integer> copy = new EnumMap<>(Label.class);
        for (Label l : Label.values()) {
            Integer v = labels.get(l);
            if (v == null) throw new IllegalArgumentException("sample " + uid + " has no label " + l.csvName() + "; every one of the six is needed");
            if (v != 0 && v != 1) throw new IllegalArgumentException("sample " + uid + " label " + l.csvName() + " is " + v + "; labels are 0 or 1");
            copy.put(l, v);
        }
        labels = Collections.unmodifiableMap(copy);
        metadata = SampleMetadata.check(uid, metadata == null ? Map.of() : metadata);
    }

    public int label(Label l) {
        return labels.get(l);
    }

    /** Any bleed: the positive class of the {@code any} task and of {@link Balance}. */
    public boolean anyBleed() {
        return labels.get(Label.ANY) == 1;
    }

    /**
     * {@code {"uid":..,"patient":..,"labels":{"epidural":0,..,"any":1},"metadata":{"pixels":"12 bit / unsigned"}}}: label
     * names from the CSV, in CSV order; {@code metadata} only when there is some, so older readers see what they knew.
     */
    public byte[] json() {
        ObjectNode root = Events.JSON.createObjectNode();
        root.put("uid", uid);
        root.put("patient", patient);
        ObjectNode l = root.putObject("labels");
        for (Label label : Label.values()) l.put(label.csvName(), labels.get(label));
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject("metadata");
            metadata.forEach(m::put);
        }
        try {
            return Events.JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write sample JSON", e);
        }
    }

    /** The inverse of {@link #json()}; an {@link IllegalArgumentException} says what is wrong. */
    public static DatasetSample fromJson(byte[] json, byte[] png) {
        JsonNode root;
        try {
            root = Events.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("not a JSON object");
        String uid = text(root, "uid"), patient = text(root, "patient");
        JsonNode labels = root.get("labels");
        if (labels == null || !labels.isObject()) throw new IllegalArgumentException("\"labels\" must be an object");
        EnumMap<Label, Integer> values = new EnumMap<>(Label.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Label l = Label.fromCsvName(e.getKey())
                    .orElseThrow(() -> new IllegalArgumentException("unknown label \"" + e.getKey() + "\""));
            if (!e.getValue().isInt()) throw new IllegalArgumentException("label \"" + e.getKey() + "\" must be 0 or 1, got " + e.getValue());
            values.put(l, e.getValue().intValue());
        }
        JsonNode meta = root.get("metadata");
        Map<String, String> metadata = new java.util.TreeMap<>();
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) throw new IllegalArgumentException("\"metadata\" must be an object of strings");
            for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) throw new IllegalArgumentException("metadata \"" + e.getKey() + "\" must be a string");
                metadata.put(e.getKey(), e.getValue().textValue());
            }
        }
        return new DatasetSample(uid, patient, values, png, metadata);
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) throw new IllegalArgumentException("\"" + field + "\" must be a string");
        return n.textValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetSample s && s.uid.equals(uid) && s.patient.equals(patient) && s.labels.equals(labels)
                && s.metadata.equals(metadata) && Arrays.equals(s.png, png);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uid, patient, labels, metadata) * 31 + Arrays.hashCode(png);
    }

    @Override
    public String toString() {
        return "DatasetSample[uid=" + uid + ", patient=" + patient + ", labels=" + labels + (metadata.isEmpty() ? "" : ", metadata=" + metadata) + ", png=" + png.length + " bytes]";
    }
}

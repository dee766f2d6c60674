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
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One slice of a dataset: its SOP Instance UID (the shard entry name), patient (for the split),
 * the six labels, the cleaned PNG, a small metadata map (the subgroups a model's metrics are broken down by:
 * {@link SampleMetadata}), where it lies in its study, and its 2.5D neighbours. The PNG arrays are not copied; do not
 * change them.
 *
 * @param labels     every {@link Label}, each 0 or 1; kept in {@link Label} order
 * @param metadata   subgroup values by {@link SampleMetadata} key; empty for shards written before it existed
 * @param place      study, series and position along the slice axis; null in shards written before they carried it
 * @param neighbours the cleaned PNGs of its 2.5D context ({@link SliceContext#neighbours} order: below, then above);
 *                   empty for a dataset without context
 */
public record DatasetSample(String uid, String patient, Map<Label, Integer> labels, byte[] png, Map<String, String> metadata,
                            SlicePlace place, List<byte[]> neighbours) {

    /** A sample without metadata, place or context (the form every shard had before subgroups and 2.5D input). */
    public DatasetSample(String uid, String patient, Map<Label, Integer> labels, byte[] png) {
        this(uid, patient, labels, png, Map.of(), null, List.of());
    }

    /** A sample with subgroup metadata, without place or context. */
    public DatasetSample(String uid, String patient, Map<Label, Integer> labels, byte[] png, Map<String, String> metadata) {
        this(uid, patient, labels, png, metadata, null, List.of());
    }

    /** A sample with place and context, without subgroup metadata. */
    public DatasetSample(String uid, String patient, Map<Label, Integer> labels, byte[] png, SlicePlace place, List<byte[]> neighbours) {
        this(uid, patient, labels, png, Map.of(), place, neighbours);
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
        neighbours = neighbours == null ? List.of() : List.copyOf(neighbours);
        if (neighbours.size() % 2 != 0) throw new IllegalArgumentException("sample " + uid + " has " + neighbours.size()
                + " neighbours; they come in pairs, one below and one above per context step");
        if (!neighbours.isEmpty() && place == null) throw new IllegalArgumentException("sample " + uid + " has neighbours but no place");
    }

    /** Neighbours on each side: the dataset's {@code context}. */
    public int context() {
        return neighbours.size() / 2;
    }

    public DatasetSample withPlace(SlicePlace p, List<byte[]> n) {
        return new DatasetSample(uid, patient, labels, png, metadata, p, n);
    }

    public int label(Label l) {
        return labels.get(l);
    }

    /** Any bleed: the positive class of the {@code any} task and of {@link Balance}. */
    public boolean anyBleed() {
        return labels.get(Label.ANY) == 1;
    }

    /** {@code {"uid":..,"patient":..,"labels":{"epidural":0,..,"any":1}}}: label names from the CSV, in CSV order. */
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
        if (place != null) {
            root.put("study", place.study());
            root.put("series", place.series());
            root.put("position", place.position());
        }
        if (!neighbours.isEmpty()) root.put("context", context());
        try {
            return Events.JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write sample JSON", e);
        }
    }

    /** The inverse of {@link #json()}; an {@link IllegalArgumentException} says what is wrong. */
    public static DatasetSample fromJson(byte[] json, byte[] png) {
        return fromJson(json, png, List.of());
    }

    /** As {@link #fromJson(byte[], byte[])} with the neighbours' PNGs, whose count must match the JSON's {@code context}. */
    public static DatasetSample fromJson(byte[] json, byte[] png, List<byte[]> neighbours) {
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
        SlicePlace place = null;
        if (root.has("study") || root.has("series") || root.has("position")) {
            JsonNode position = root.get("position");
            if (position == null || !position.isNumber()) throw new IllegalArgumentException("\"position\" must be a number");
            place = new SlicePlace(text(root, "study"), text(root, "series"), position.doubleValue());
        }
        int context = root.path("context").asInt(0);
        if (neighbours.size() != 2 * context) {
            throw new IllegalArgumentException("\"context\" is " + context + " but " + neighbours.size() + " neighbour images came with it");
        }
        return new DatasetSample(uid, patient, values, png, metadata, place, neighbours);
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) throw new IllegalArgumentException("\"" + field + "\" must be a string");
        return n.textValue();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DatasetSample s && s.uid.equals(uid) && s.patient.equals(patient) && s.labels.equals(labels)
                && s.metadata.equals(metadata) && Arrays.equals(s.png, png) && Objects.equals(s.place, place) && s.neighbours.size() == neighbours.size())) return false;
        for (int i = 0; i < neighbours.size(); i++) if (!Arrays.equals(s.neighbours.get(i), neighbours.get(i))) return false;
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(uid, patient, labels, metadata, place, neighbours.size()) * 31 + Arrays.hashCode(png);
    }

    @Override
    public String toString() {
        return "DatasetSample[uid=" + uid + ", patient=" + patient + ", labels=" + labels + (metadata.isEmpty() ? "" : ", metadata=" + metadata)
                + ", png=" + png.length + " bytes"
                + (place == null ? "" : ", place=" + place) + (neighbours.isEmpty() ? "" : ", context=" + context()) + "]";
    }
}

package dev.ich.ingest.stow;

import dev.ich.ingest.StoreOutcome;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.ingest.StoreOutcome.Duplicate;
import dev.ich.ingest.StoreOutcome.Rejected;

import java.util.List;

/**
 * The PS3.18 Store Instances Response in the DICOM JSON model: ReferencedSOPSequence (0008,1199) for
 * stored instances (duplicates included: they are stored), FailedSOPSequence (0008,1198) with a
 * FailureReason (0008,1197) code per failure. The standard has no field for a sentence, so each item
 * also carries ich's private block (0009,0010) = "ICH": (0009,1001) the outcome (stored, duplicate or
 * the rejection code) and (0009,1002) the reason in words. Private attributes are valid DICOM JSON;
 * DICOMweb clients that do not know them ignore them.
 */
public final class StoreResponse {
    public static final String MEDIA_TYPE = "application/dicom+json";
    static final String PRIVATE_CREATOR = "ICH";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private StoreResponse() {
    }

    /** The body, and the HTTP status: 200 all stored, 202 some failed, 409 none stored. */
    record Result(ObjectNode body, int status) {
    }

    static Result of(List<StoreOutcome> outcomes, String retrieveUrl) {
        ObjectNode body = F.objectNode();
        ArrayNode referenced = F.arrayNode();
        ArrayNode failed = F.arrayNode();
        for (StoreOutcome o : outcomes) {
            ObjectNode item = F.objectNode();
            if (o.sopClassUid() != null) put(item, "00081150", "UI", F.textNode(o.sopClassUid()));
            if (o.sopInstanceUid() != null) put(item, "00081155", "UI", F.textNode(o.sopInstanceUid()));
            put(item, "00090010", "LO", F.textNode(PRIVATE_CREATOR));
            if (o instanceof Rejected r) {
                put(item, "00081197", "US", F.numberNode(r.code().failureReason()));
                put(item, "00091001", "CS", F.textNode(r.code().name()));
                put(item, "00091002", "LT", F.textNode(r.reason()));
                failed.add(item);
            } else {
                put(item, "00091001", "CS", F.textNode(o instanceof Duplicate ? "duplicate" : "stored"));
                referenced.add(item);
            }
        }
        if (retrieveUrl != null && !referenced.isEmpty()) put(body, "00081190", "UR", F.textNode(retrieveUrl));
        if (!referenced.isEmpty()) body.set("00081199", F.objectNode().put("vr", "SQ").set("Value", referenced));
        if (!failed.isEmpty()) body.set("00081198", F.objectNode().put("vr", "SQ").set("Value", failed));
        int status = failed.isEmpty() ? 200 : referenced.isEmpty() ? 409 : 202;
        return new Result(body, status);
    }

    private static void put(ObjectNode target, String tag, String vr, com.fasterxml.jackson.databind.JsonNode value) {
        ObjectNode element = target.putObject(tag);
        element.put("vr", vr);
        element.putArray("Value").add(value);
    }
}

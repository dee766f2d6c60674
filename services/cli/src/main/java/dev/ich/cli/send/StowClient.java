package dev.ich.cli.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.cli.ProblemText;
import dev.ich.cli.auth.Credentials;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A STOW-RS client (PS3.18 "Store Instances"): one multipart/related request per batch of
 * instances, the DICOM JSON answer read back into a result per SOP Instance UID.
 */
public final class StowClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFERENCED_SOP_SEQUENCE = "00081199";
    private static final String FAILED_SOP_SEQUENCE = "00081198";
    private static final String REFERENCED_SOP_INSTANCE_UID = "00081155";
    private static final String FAILURE_REASON = "00081197";
    /** ich's private block "ICH" in each item: the outcome (stored, duplicate, a rejection code) and the reason in words. */
    private static final String ICH_OUTCOME = "00091001";
    private static final String ICH_REASON = "00091002";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI studies;
    private final Credentials credentials;

    public StowClient(String baseUrl, Credentials credentials) {
        this.studies = URI.create(baseUrl.replaceAll("/+$", "") + "/studies");
        this.credentials = credentials;
    }

    /** What the server said of one instance. */
    public record InstanceResult(String sopInstanceUid, Outcome outcome, String reason) {
    }

    public enum Outcome { STORED, DUPLICATE, FAILED }

    /** Sends the instances in one request; a transport or HTTP-level failure fails the whole batch. */
    public Map<String, InstanceResult> store(List<byte[]> instances) throws StowException, InterruptedException {
        String boundary = "ich-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] instance : instances) {
            body.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(instance);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = credentials.apply(HttpRequest.newBuilder(studies)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new StowException("ingest is not reachable at " + studies + ": is the local stack running (./ich up)?");
        } catch (IOException e) {
            throw new StowException("sending to " + studies + " failed: " + e.getMessage());
        }
        int status = response.statusCode();
        if (status != 200 && status != 202 && status != 409) {
            // A refusal of the whole request is a problem body; per-instance outcomes stay DICOM JSON (PS3.18).
            throw new StowException("ingest answered HTTP " + status + ": " + ProblemText.of(response.body()));
        }
        return parse(response.body());
    }

    static Map<String, InstanceResult> parse(String body) throws StowException {
        Map<String, InstanceResult> results = new HashMap<>();
        try {
            JsonNode root = JSON.readTree(body);
            for (JsonNode item : items(root, REFERENCED_SOP_SEQUENCE)) {
                String uid = text(item, REFERENCED_SOP_INSTANCE_UID);
                boolean duplicate = "duplicate".equals(text(item, ICH_OUTCOME));
                results.put(uid, new InstanceResult(uid, duplicate ? Outcome.DUPLICATE : Outcome.STORED, null));
            }
            for (JsonNode item : items(root, FAILED_SOP_SEQUENCE)) {
                String uid = text(item, REFERENCED_SOP_INSTANCE_UID);
                String reason = text(item, ICH_REASON);
                if (reason == null) reason = "failure reason " + text(item, FAILURE_REASON) + " (PS3.18 code)";
                String code = text(item, ICH_OUTCOME);
                if (code != null) reason = code + ": " + reason;
                results.put(uid == null ? "unknown-" + results.size() : uid, new InstanceResult(uid, Outcome.FAILED, reason));
            }
        } catch (IOException e) {
            throw new StowException("ingest's answer is not DICOM JSON: " + e.getMessage());
        }
        return results;
    }

    private static List<JsonNode> items(JsonNode root, String tag) {
        List<JsonNode> out = new ArrayList<>();
        root.path(tag).path("Value").forEach(out::add);
        return out;
    }

    private static String text(JsonNode item, String tag) {
        JsonNode v = item.path(tag).path("Value");
        return v.isArray() && !v.isEmpty() ? v.get(0).asText() : null;
    }

    /** The request as a whole failed; nothing can be said per instance. */
    public static final class StowException extends Exception {
        public StowException(String message) {
            super(message);
        }
    }
}

package dev.ich.inference.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * STOW-RS (PS3.18 10.5) with the JDK's HttpClient: one {@code multipart/related; type="application/dicom"} POST per
 * batch to {@code <url>/studies}, and the Store Instances Response read per instance: its Referenced SOP Sequence
 * (stored), its Failed SOP Sequence with each FailureReason (classified as C-STORE statuses are).
 */
final class StowClient implements DestinationClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFERENCED_SOP_SEQUENCE = "00081199";
    private static final String FAILED_SOP_SEQUENCE = "00081198";
    private static final String REFERENCED_SOP_INSTANCE_UID = "00081155";
    private static final String FAILURE_REASON = "00081197";
    private static final String WARNING_REASON = "00081196";
    /** A gateway saying the destination behind it is down or busy: waits, never counts towards max-attempts. */
    private static final Set<Integer> UNAVAILABLE = Set.of(429, 502, 503, 504);
    private static final int BODY_EXCERPT = 300;

    private final URI studies;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final HttpClient http;

    StowClient(URI base, Optional<String> bearerToken, Optional<String> username, Optional<String> password, Duration timeout) {
        String b = base.toString();
        this.studies = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/studies");
        this.authorization = bearerToken.filter(t -> !t.isBlank()).map(t -> "Bearer " + t)
                .or(() -> username.filter(u -> !u.isBlank()).map(u -> "Basic " + Base64.getEncoder()
                        .encodeToString((u + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8))));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String target() {
        return studies.toString();
    }

    @Override
    public List<Delivery> send(List<ExportObject> batch) {
        String boundary = "ich-" + UUID.randomUUID();
        HttpRequest.Builder request = HttpRequest.newBuilder(studies).timeout(timeout)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(batch, boundary)));
        authorization.ifPresent(a -> request.header("Authorization", a));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return all(batch, Delivery.unreachable("interrupted while sending to " + target()));
        } catch (Exception e) {
            return all(batch, Delivery.unreachable("cannot reach " + target() + ": " + e));
        }
        int code = response.statusCode();
        if (UNAVAILABLE.contains(code)) {
            return all(batch, Delivery.unreachable(target() + " answered HTTP " + code + " (unavailable): " + excerpt(response.body())));
        }
        if (code != 200 && code != 202 && code != 409) {
            return all(batch, Delivery.refused("HTTP " + code, target() + " answered HTTP " + code + ": " + excerpt(response.body())));
        }
        return perInstance(batch, code, response.body());
    }

    /** 200: all stored; 202: some failed; 409: none stored. The body says which, per SOP Instance UID. */
    private List<Delivery> perInstance(List<ExportObject> batch, int code, String body) {
        Map<String, Integer> failed = new HashMap<>();
        Map<String, String> referenced = new HashMap<>();
        try {
            JsonNode root = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            if (root.isArray() && !root.isEmpty()) root = root.get(0);
            for (JsonNode item : root.path(FAILED_SOP_SEQUENCE).path("Value")) {
                failed.put(value(item, REFERENCED_SOP_INSTANCE_UID), item.path(FAILURE_REASON).path("Value").path(0).asInt(0x0110));
            }
            for (JsonNode item : root.path(REFERENCED_SOP_SEQUENCE).path("Value")) {
                JsonNode warning = item.path(WARNING_REASON).path("Value").path(0);
                referenced.put(value(item, REFERENCED_SOP_INSTANCE_UID), warning.isMissingNode() ? null : StoreStatus.hex(warning.asInt()));
            }
        } catch (Exception e) {
            if (code == 200) return all(batch, Delivery.sent("HTTP 200"));
            return all(batch, Delivery.refused("HTTP " + code, target() + " answered HTTP " + code + " with an unreadable body: " + excerpt(body)));
        }
        List<Delivery> out = new ArrayList<>();
        for (ExportObject o : batch) {
            Integer reason = failed.get(o.sopInstanceUid());
            if (reason != null) {
                Delivery d = StoreStatus.classify(reason, null);
                out.add(d.outcome() == Delivery.Outcome.SENT ? Delivery.sent("HTTP " + code + " " + StoreStatus.hex(reason))
                        : new Delivery(d.outcome(), "HTTP " + code + " " + StoreStatus.hex(reason), target() + " failed the instance with "
                        + d.reason()));
            } else if (referenced.containsKey(o.sopInstanceUid())) {
                String warning = referenced.get(o.sopInstanceUid());
                out.add(Delivery.sent("HTTP " + code + (warning == null ? "" : " " + warning)));
            } else if (code == 200) {
                out.add(Delivery.sent("HTTP 200"));
            } else {
                out.add(Delivery.refused("HTTP " + code, target() + " answered HTTP " + code + " and did not list the instance as stored"));
            }
        }
        return out;
    }

    private static String value(JsonNode item, String tag) {
        return item.path(tag).path("Value").path(0).asText("");
    }

    private static byte[] body(List<ExportObject> batch, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ExportObject o : batch) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(o.bytes());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) return "(no body)";
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() <= BODY_EXCERPT ? flat : flat.substring(0, BODY_EXCERPT) + "...";
    }

    private static List<Delivery> all(List<ExportObject> batch, Delivery d) {
        return batch.stream().map(o -> d).toList();
    }
}

package dev.ich.ingest.dicomweb;

import dev.ich.ingest.Fixtures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.dicom.DicomJson;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.phantom.SliceTruth;
import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Phantom studies sent by STOW-RS with the study-level attributes a query needs (phantoms carry no dates), what
 * ingest stored for each slice, and an independent reader of WADO-RS multipart answers.
 */
public final class DicomWebFixtures {
    private DicomWebFixtures() {
    }

    /** One sent study: its slices in InstanceNumber order and the stored (de-identified) bytes of each. */
    public record Sent(List<SliceTruth> slices, Map<String, byte[]> storedBySop, ObjectNode storedHeader) {
        public String study() {
            return slices.get(0).studyInstanceUid();
        }

        public String series() {
            return slices.get(0).seriesInstanceUid();
        }

        public String sop(int i) {
            return slices.get(i).sopInstanceUid();
        }

        /** An attribute's first value as stored, or null: the truth QIDO must answer. */
        String stored(String tag) {
            var v = storedHeader.path(tag).path("Value").path(0);
            if (v.isObject()) return v.path("Alphabetic").asText(null);
            return v.isMissingNode() || v.isNull() ? null : v.asText();
        }
    }

    /** A phantom study with {@code attributes} (by keyword) written into each slice, sent as one STOW-RS request. */
    public static Sent stow(long seed, Map<String, String> attributes) {
        return stow(seed, attributes, true);
    }

    /** As {@link #stow(long, Map)}; {@code deidentified} false: the service stores instances as sent. */
    static Sent stow(long seed, Map<String, String> attributes, boolean deidentified) {
        List<SliceTruth> slices = Fixtures.study(seed).slices();
        List<Fixtures.Part> parts = new ArrayList<>();
        Map<String, byte[]> stored = new LinkedHashMap<>();
        for (SliceTruth s : slices) {
            byte[] sent = Fixtures.rewritten(Fixtures.bytes(s), attributes);
            parts.add(Fixtures.Part.dicom(sent));
            stored.put(s.sopInstanceUid(), deidentified ? Fixtures.stored(sent) : sent);
        }
        given().contentType(Fixtures.STOW_TYPE).body(Fixtures.multipart(parts)).post("/studies").then().statusCode(200);
        return new Sent(slices, stored, header(stored.values().iterator().next()));
    }

    static ObjectNode header(byte[] stored) {
        try {
            return DicomJson.read(stored, true).dataset();
        } catch (DicomReadException e) {
            throw new IllegalStateException("a stored test instance does not read: " + e.getMessage(), e);
        }
    }

    /** The index is built asynchronously at start; queries answer 503 until it is. */
    public static void awaitIndex() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/studies?limit=1").statusCode() == 200);
    }

    /** A part of a multipart/related answer: its headers (lower-case names) and its body. */
    record Part(Map<String, String> headers, byte[] body) {
    }

    /** Splits a multipart/related body at its boundary (RFC 2046), independently of ingest's own reader. */
    static List<Part> parts(Response response) {
        Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(response.getContentType());
        if (!response.getContentType().startsWith("multipart/related") || !m.find()) {
            throw new AssertionError("not multipart/related with a boundary: " + response.getContentType());
        }
        byte[] body = response.asByteArray();
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.US_ASCII);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int lineEnd = at + delimiter.length;
            if (body[lineEnd] == '-' && body[lineEnd + 1] == '-') return parts;
            int headersStart = lineEnd + 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), headersStart);
            Map<String, String> headers = new HashMap<>();
            for (String line : new String(body, headersStart, headersEnd - headersStart, StandardCharsets.US_ASCII).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(), line.substring(colon + 1).strip());
            }
            int next = indexOf(body, concat("\r\n".getBytes(StandardCharsets.US_ASCII), delimiter), headersEnd + 4);
            if (next < 0) throw new AssertionError("a part without a closing delimiter");
            parts.add(new Part(headers, Arrays.copyOfRange(body, headersEnd + 4, next)));
            at = next + 2;
        }
        throw new AssertionError("no delimiter in the body");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}

package dev.ich.ingest.stow;

import dev.ich.ingest.DatasetDigest;
import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.ingest.Fixtures.Part;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A STOW-RS request in which something goes wrong after some parts were stored still answers what was stored and
 * what failed, each failure with its reason (PS3.18: 202 some stored, 409 none); a fault of one part is never a 5xx,
 * and only storage being down for the whole request is a 503. The faults are real: a body cut off in transit, an
 * object key the S3 endpoint cannot write, the S3 endpoint stopped halfway through a request.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class StowPartialFailureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/studies")
    URI studies;

    @Test
    void aBodyCutOffAfterTwoGoodPartsListsTheTwoStoredAndSaysWhereItWasCut() throws Exception {
        List<SliceTruth> slices = Fixtures.study(1801).slices();
        byte[] whole = Fixtures.multipart(slices.stream().limit(3).map(s -> Part.dicom(Fixtures.bytes(s))).toList());
        // cut in the middle of the third instance: the sender's connection dropped, or a proxy truncated the request
        byte[] cut = Arrays.copyOf(whole, whole.length - Fixtures.bytes(slices.get(2)).length / 2);

        HttpResponse<String> r = stow(new ByteArrayInputStream(cut));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(StoreResponse.MEDIA_TYPE);
        JsonNode body = JSON.readTree(r.body());
        assertThat(uids(body, "00081199")).containsExactly(slices.get(0).sopInstanceUid(), slices.get(1).sopInstanceUid());
        assertThat(texts(body, "00081199", "00091001")).containsOnly("stored");
        JsonNode failure = body.path("00081198").path("Value").get(0);
        assertThat(body.path("00081198").path("Value")).hasSize(1);
        assertThat(failure.path("00081197").path("Value").get(0).asInt()).isEqualTo(0xC000);
        assertThat(failure.path("00091001").path("Value").get(0).asText()).isEqualTo("Truncated");
        assertThat(failure.path("00091002").path("Value").get(0).asText())
                .isEqualTo("the request body broke off at part 3 (the body ends inside a part: no closing boundary);"
                        + " the 2 parts before it were read, nothing after it: send the rest again");
        for (SliceTruth s : slices.subList(0, 2)) assertThat(S3TestResource.store().stat(key(s))).isPresent();
        assertThat(S3TestResource.store().stat(key(slices.get(2)))).isEmpty();
    }

    @Test
    void aBodyCutOffAfterPartsThatAllFailedIs409WithEveryReason() throws Exception {
        byte[] whole = Fixtures.multipart(List.of(Part.dicom("not dicom".getBytes()), Part.dicom("nor this".getBytes())));
        byte[] cut = Arrays.copyOf(whole, whole.length - "--\r\n".length()); // the closing delimiter without its "--"

        HttpResponse<String> r = stow(new ByteArrayInputStream(cut));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.has("00081199")).isFalse();
        assertThat(texts(body, "00081198", "00091001")).containsExactly("NotDicom", "NotDicom", "Truncated");
        assertThat(texts(body, "00081198", "00091002").get(2)).isEqualTo("the request body broke off at part 3 (the body ends after a boundary);"
                + " the 2 parts before it were read, nothing after it: send the rest again");
    }

    /** The request limit (32 MiB in tests) reached after two stored instances: both are listed, then why reading stopped. */
    @Test
    void aRequestOverTheLimitListsWhatWasStoredBeforeTheLimit() throws Exception {
        List<SliceTruth> slices = Fixtures.study(1806).slices();
        List<Part> parts = new ArrayList<>(List.of(Part.dicom(Fixtures.bytes(slices.get(0))), Part.dicom(Fixtures.bytes(slices.get(1)))));
        parts.addAll(java.util.Collections.nCopies(9, Part.dicom(new byte[4 * 1024 * 1024]))); // not DICOM, and too many

        HttpResponse<String> r = stow(new ByteArrayInputStream(Fixtures.multipart(parts)));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(r.body());
        assertThat(uids(body, "00081199")).containsExactly(slices.get(0).sopInstanceUid(), slices.get(1).sopInstanceUid());
        List<String> reasons = texts(body, "00081198", "00091002");
        List<String> codes = texts(body, "00081198", "00091001");
        assertThat(codes.get(codes.size() - 1)).isEqualTo("TooLarge");
        assertThat(reasons.get(reasons.size() - 1)).startsWith("the request body broke off at part ")
                .contains("request body exceeds the limit of 33554432 bytes (ich.ingest.max-request-bytes)");
    }

    /** S3Proxy keeps objects as files: an object at raw/<study>/<series> leaves no room for the folder of that series. */
    @Test
    void aPartWhoseObjectCannotBeWrittenFailsAloneAndTheOthersAreStored() throws Exception {
        List<SliceTruth> slices = Fixtures.study(1802).slices();
        String otherSeries = "1.2.826.0.1.3680043.10.1137.1802.77";
        byte[] blocked = Fixtures.rewritten(Fixtures.bytes(slices.get(1)), Map.of("SeriesInstanceUID", otherSeries));
        S3TestResource.store().put(ObjectKeys.RAW_PREFIX + slices.get(1).studyInstanceUid() + "/" + otherSeries,
                "in the way".getBytes(), "text/plain", Map.of());

        HttpResponse<String> r = stow(new ByteArrayInputStream(Fixtures.multipart(List.of(Part.dicom(Fixtures.bytes(slices.get(0))),
                Part.dicom(blocked), Part.dicom(Fixtures.bytes(slices.get(2)))))));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(r.body());
        assertThat(uids(body, "00081199")).containsExactly(slices.get(0).sopInstanceUid(), slices.get(2).sopInstanceUid());
        assertThat(uids(body, "00081198")).containsExactly(slices.get(1).sopInstanceUid());
        assertThat(texts(body, "00081198", "00091001")).containsExactly("StorageFailed");
        assertThat(body.path("00081198").path("Value").get(0).path("00081197").path("Value").get(0).asInt()).isEqualTo(0x0110);
        assertThat(texts(body, "00081198", "00091002").get(0)).startsWith("object storage failed, nothing was stored; send again later");
    }

    /**
     * An instance that breaks the service in an unforeseen way (here: valid DICOM with a sequence nested forty thousand
     * deep, which overflows a recursive reader's stack) fails alone, with a reason; once it failed the whole request
     * with a 500 although the parts around it were stored and announced.
     */
    @Test
    void aPartThatBreaksTheServiceFailsAloneAndTheOthersAreStored() throws Exception {
        List<SliceTruth> slices = Fixtures.study(1805).slices();
        byte[] nested = deeplyNested(Fixtures.bytes(slices.get(1)), 40_000);

        HttpResponse<String> r = stow(new ByteArrayInputStream(Fixtures.multipart(List.of(Part.dicom(Fixtures.bytes(slices.get(0))),
                Part.dicom(nested), Part.dicom(Fixtures.bytes(slices.get(2)))))));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(r.body());
        assertThat(uids(body, "00081199")).containsExactly(slices.get(0).sopInstanceUid(), slices.get(2).sopInstanceUid());
        JsonNode failed = body.path("00081198").path("Value");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("00081197").path("Value").get(0).asInt()).isPositive();
        assertThat(failed.get(0).path("00091002").path("Value").get(0).asText()).isNotBlank().doesNotContain("StackOverflowError");
        assertThat(S3TestResource.store().stat(key(slices.get(2)))).isPresent();
    }

    /** Storage stops after the first instance is stored: that one is listed as stored, the rest as failed. */
    @Test
    void storageThatStopsMidRequestStillListsWhatWasStoredBefore() throws Exception {
        List<SliceTruth> slices = Fixtures.study(1803).slices();
        byte[] whole = Fixtures.multipart(slices.stream().limit(3).map(s -> Part.dicom(Fixtures.bytes(s))).toList());
        // up to the end of the second part's headers: the service has all of the first part and starts storing it
        byte[] secondHeaders = ("--" + Fixtures.BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int split = indexOf(whole, secondHeaders, secondHeaders.length) + secondHeaders.length;
        String first = key(slices.get(0));
        InputStream rest = new InputStream() {
            private InputStream tail;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (tail == null) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> S3TestResource.store().stat(first).isPresent());
                    S3TestResource.stopEndpoint();
                    tail = new ByteArrayInputStream(whole, split, whole.length - split);
                }
                return tail.read(b, off, len);
            }
        };
        HttpResponse<String> r;
        try {
            r = stow(new SequenceInputStream(new ByteArrayInputStream(whole, 0, split), rest));
        } finally {
            S3TestResource.restartEndpoint();
        }

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(r.body());
        assertThat(uids(body, "00081199")).containsExactly(slices.get(0).sopInstanceUid());
        assertThat(uids(body, "00081198")).containsExactly(slices.get(1).sopInstanceUid(), slices.get(2).sopInstanceUid());
        assertThat(texts(body, "00081198", "00091001")).containsOnly("StorageFailed");
    }

    /** Nothing could be stored because storage is down: a 503 that says so, not a 409 blaming the instances. */
    @Test
    void storageDownForTheWholeRequestIs503WithTheReason() throws Exception {
        List<SliceTruth> slices = Fixtures.study(1804).slices();
        S3TestResource.stopEndpoint();
        HttpResponse<String> r;
        try {
            r = stow(new ByteArrayInputStream(Fixtures.multipart(slices.stream().limit(2).map(s -> Part.dicom(Fixtures.bytes(s))).toList())));
        } finally {
            S3TestResource.restartEndpoint();
        }

        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("code").asText()).isEqualTo("StorageUnavailable");
        assertThat(problem.path("detail").asText()).startsWith("object storage failed for all 2 instances, nothing was stored;"
                + " send the request again when it answers (");
        assertThat(problem.path("instance").asText()).isEqualTo("/studies");
    }

    /**
     * {@code instance} with a ReferencedImageSequence whose one item holds another, {@code depth} levels deep, inserted
     * where its data set starts (explicit VR little endian, undefined lengths, every item and sequence delimited).
     */
    static byte[] deeplyNested(byte[] instance, int depth) {
        int at = DatasetDigest.dataSetOffset(instance);
        java.nio.ByteBuffer nest = java.nio.ByteBuffer.allocate(depth * 36).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < depth; i++) {
            nest.putShort((short) 0x0008).putShort((short) 0x1140).put((byte) 'S').put((byte) 'Q').putShort((short) 0).putInt(-1);
            nest.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(-1);
        }
        for (int i = 0; i < depth; i++) {
            nest.putShort((short) 0xFFFE).putShort((short) 0xE00D).putInt(0);
            nest.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);
        }
        byte[] out = new byte[instance.length + nest.capacity()];
        System.arraycopy(instance, 0, out, 0, at);
        System.arraycopy(nest.array(), 0, out, at, nest.capacity());
        System.arraycopy(instance, at, out, at + nest.capacity(), instance.length - at);
        return out;
    }

    private HttpResponse<String> stow(InputStream body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(studies).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + OidcTestResource.token("ich-uploader"))
                .header("Content-Type", Fixtures.STOW_TYPE).header("Accept", StoreResponse.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String key(SliceTruth s) {
        return ObjectKeys.raw(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid());
    }

    private static List<String> uids(JsonNode body, String sequence) {
        return texts(body, sequence, "00081155");
    }

    private static List<String> texts(JsonNode body, String sequence, String tag) {
        List<String> out = new ArrayList<>();
        body.path(sequence).path("Value").forEach(item -> out.add(item.path(tag).path("Value").path(0).asText(null)));
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new IllegalStateException("no second part");
    }
}

package dev.ich.ingest.stow;

import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A first figure, not the benchmark (that is ./ich bench ingest against the local stack): one STOW-RS
 * request of a full 512 x 512 phantom study against the raw S3 PUT rate of the same bytes, in-JVM.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class StowThroughputTest {

    @Test
    void stowOfAStudyRunsAtAMeasurableFractionOfRawPuts() throws Exception {
        PhantomSet set = new PhantomGenerator(PhantomOptions.of(1, 601).withSlicesPerStudy(32))
                .generate(Files.createTempDirectory("ich-ingest-throughput"));
        List<byte[]> files = set.slices().stream().map(Fixtures::bytes).toList();
        long bytes = files.stream().mapToLong(b -> b.length).sum();
        byte[] body = Fixtures.multipart(files.stream().map(Fixtures.Part::dicom).toList());

        // warm up both paths (JIT, connection pools, the producer's metadata) on another study
        PhantomSet warmup = Fixtures.study(602);
        given().contentType(Fixtures.STOW_TYPE).body(Fixtures.multipart(warmup.slices().stream()
                .map(s -> Fixtures.Part.dicom(Fixtures.bytes(s))).toList())).when().post("/studies").then().statusCode(200);
        ObjectStore s3 = S3TestResource.store();
        for (int i = 0; i < 4; i++) s3.put("bench/warmup/" + i + ".dcm", files.get(i), "application/dicom", Map.of());
        long t0 = System.nanoTime();
        for (int i = 0; i < files.size(); i++) s3.put("bench/raw-put/" + i + ".dcm", files.get(i), "application/dicom", Map.of());
        double putSeconds = (System.nanoTime() - t0) / 1e9;

        // curl, as a client would send it (RestAssured's own overhead would be part of the figure)
        java.nio.file.Path bodyFile = Files.write(Files.createTempFile("stow", ".body"), body);
        long t1 = System.nanoTime();
        Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                "-H", "Content-Type: " + Fixtures.STOW_TYPE, "-H", "Authorization: Bearer " + OidcTestResource.token("ich-uploader"),
                "--data-binary", "@" + bodyFile,
                io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/studies").start();
        String code = new String(curl.getInputStream().readAllBytes()).strip();
        curl.waitFor();
        double stowSeconds = (System.nanoTime() - t1) / 1e9;
        assertThat(code).isEqualTo("200");

        double mb = bytes / 1e6;
        System.out.printf("STOW: %d instances, %.1f MB in %.2f s = %.1f MB/s, %.0f instances/s; raw S3 PUT %.1f MB/s;"
                        + " ratio %.2f%n", files.size(), mb, stowSeconds, mb / stowSeconds, files.size() / stowSeconds,
                mb / putSeconds, putSeconds / stowSeconds);
        assertThat(stowSeconds).isPositive();
        assertThat(set.slices()).extracting(SliceTruth::rows).containsOnly(512);
    }
}

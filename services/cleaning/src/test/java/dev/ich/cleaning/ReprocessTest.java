package dev.ich.cleaning;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Given raw slices in storage, a new pipeline re-cleans all of them from storage, with progress to the end. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class ReprocessTest {

    @Test
    void reprocessingWithASmallerSizeRecleansEveryRawSliceAndReportsProgress() throws Exception {
        ObjectStore store = S3TestResource.store();
        PhantomSet set = PhantomUploads.generate(2, 5, 91, false);
        for (SliceTruth t : set.slices()) PhantomUploads.upload(store, t); // stored, never announced
        long raw = StreamSupport.stream(store.list(ObjectKeys.RAW_PREFIX).spliterator(), false).count();

        String id = given().contentType(ContentType.JSON).body("{\"pipeline\": {\"size\": 32, \"channels\": [\"brain\"]}}")
                .post("/reprocess").then().statusCode(202).header("Location", containsString("/reprocess/"))
                .extract().path("id");
        JsonPath done = await().atMost(Duration.ofSeconds(120)).until(
                () -> given().get("/reprocess/" + id).then().statusCode(200).extract().jsonPath(),
                p -> p.getString("state").equals("succeeded"));

        assertThat(done.getString("kind")).isEqualTo("reprocess");
        assertThat(done.getInt("progress.total")).isEqualTo(raw);
        assertThat(done.getInt("progress.done")).isEqualTo(raw);
        assertThat(done.getString("progress.unit")).isEqualTo("slices");
        assertThat(done.getString("finishedAt")).isNotNull();
        assertThat(done.getInt("details.kept") + done.getInt("details.dropped") + done.getInt("details.errors")).isEqualTo(raw);
        assertThat(done.getInt("details.kept")).isGreaterThan(0);
        String version = done.getString("details.pipelineVersion");
        assertThat(new String(store.get(ObjectKeys.OPERATIONS_REPROCESS + id + ".json"), java.nio.charset.StandardCharsets.UTF_8))
                .as("any replica answers from the bucket").contains("\"succeeded\"");
        assertThat(store.stat(ObjectKeys.CLEAN_PREFIX + version + "/pipeline.json")).isPresent();
        SliceTruth mid = set.slices().stream().filter(t -> t.brainWindowFraction() > 0.2).findFirst().orElseThrow();
        var png = ImageIO.read(new ByteArrayInputStream(store.get(ObjectKeys.CLEAN_PREFIX + version + "/" + mid.sopInstanceUid() + ".png")));
        assertThat(List.of(png.getWidth(), png.getHeight(), png.getRaster().getNumBands())).containsExactly(32, 32, 1);
    }

    @Test
    void aBadPipelineIsRefusedWithItsReasonAndAnUnknownRunIsNotFound() {
        given().contentType(ContentType.JSON).body("{\"pipeline\": {\"size\": 3}}").post("/reprocess")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("BadPipeline")).body("detail", containsString("output size must be within 8..4096"));
        given().contentType(ContentType.JSON).body("{\"pipeline\": {\"channels\": [\"brain\", \"nonsense\"]}}").post("/reprocess")
                .then().statusCode(400).body("detail", containsString("nonsense"));
        given().get("/reprocess/no-such-run").then().statusCode(404).body("detail", containsString("no-such-run"));
    }

    @Test
    void binsFromAStratifiedSampleOfRawSlicesComeWithTheVersionTheyWouldMake() throws Exception {
        ObjectStore store = S3TestResource.store();
        for (SliceTruth t : PhantomUploads.generate(5, 4, 92, false).slices()) PhantomUploads.upload(store, t);

        JsonPath bins = given().contentType(ContentType.JSON).body("{\"sample\": 12, \"seed\": 3}").post("/pipelines/bins")
                .then().statusCode(200).body("version", startsWith("p")).extract().jsonPath();
        List<Float> edges = bins.getList("bins", Float.class);
        assertThat(edges.size()).isGreaterThan(10);
        for (int i = 1; i < edges.size(); i++) assertThat(edges.get(i)).isGreaterThan(edges.get(i - 1));
        assertThat(bins.getInt("slices")).isEqualTo(12);
        assertThat(bins.getMap("groups")).hasSizeGreaterThan(1); // phantoms come from several source groups
        assertThat(bins.getString("version")).isNotEqualTo(bins.getString("currentVersion"));
        assertThat(store.stat(ObjectKeys.CLEAN_PREFIX + bins.getString("version") + "/pipeline.json")).isPresent();
        // same seed, same sample, same bins: the proposal is reproducible
        given().contentType(ContentType.JSON).body("{\"sample\": 12, \"seed\": 3}").post("/pipelines/bins")
                .then().statusCode(200).body("version", org.hamcrest.Matchers.equalTo(bins.getString("version")));
    }
}

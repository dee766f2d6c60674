package dev.ich.ingest.imports;

import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import dev.ich.ingest.HostileCases;
import dev.ich.ingest.IngestedEvents;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class ImportTest {

    @Test
    void anArchiveCopiedIntoTheBucketIsImportedAndAJunkObjectIsReportedNotFatal() {
        ObjectStore s3 = S3TestResource.store();
        List<SliceTruth> slices = Fixtures.study(301).slices();
        for (SliceTruth s : slices) s3.put("imports/x/" + s.sopInstanceUid() + ".dcm", Fixtures.bytes(s), "application/dicom", Map.of());
        s3.put("imports/x/README.txt", "not an image".getBytes(), "text/plain", Map.of());
        // one instance arrived earlier by STOW: the import must call it a duplicate, not fail
        given().contentType("application/dicom").body(Fixtures.bytes(slices.get(0))).post("/instances").then().statusCode(200);

        String id = given().contentType("application/json").body(Map.of("bucket", "ich", "prefix", "imports/x/"))
                .when().post("/imports").then().statusCode(202).extract().path("id");

        await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(status(id).getString("state")));
        JsonPath done = status(id);
        assertThat(done.getString("kind")).isEqualTo("import");
        assertThat(done.getLong("details.seen")).isEqualTo(slices.size() + 1);
        assertThat(done.getLong("details.stored")).isEqualTo(slices.size() - 1);
        assertThat(done.getLong("details.duplicate")).isEqualTo(1);
        assertThat(done.getLong("details.failed")).isEqualTo(1);
        assertThat(done.getLong("progress.done")).isEqualTo(slices.size() + 1);
        assertThat(done.getLong("progress.total")).isEqualTo(slices.size() + 1);
        assertThat(done.getString("progress.unit")).isEqualTo("objects");
        assertThat(done.getString("details.failures[0].key")).isEqualTo("imports/x/README.txt");
        assertThat(done.getString("details.failures[0].reason")).startsWith("NotDicom: not a DICOM file");
        assertThat(done.getString("finishedAt")).isNotNull();
        assertThat(done.getString("failure")).as("some objects failing does not fail the import").isNull();
        // what the other replicas answer from: the final value, in the bucket, with the replica that wrote it
        String checkpoint = ObjectKeys.OPERATIONS_IMPORTS + id + ".json";
        JsonPath kept = new JsonPath(new String(s3.get(checkpoint), StandardCharsets.UTF_8));
        assertThat(kept.getString("state")).isEqualTo("succeeded");
        assertThat(kept.getLong("details.stored")).isEqualTo(slices.size() - 1);
        assertThat(kept.getLong("details.failed")).isEqualTo(1);
        assertThat(s3.stat(checkpoint).orElseThrow().metadata().get("replica")).isNotBlank();
        for (SliceTruth s : slices) {
            String key = ObjectKeys.raw(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid());
            assertThat(s3.get(key)).isEqualTo(Fixtures.stored(s));
        }
        try (IngestedEvents events = new IngestedEvents()) {
            SliceTruth last = slices.get(slices.size() - 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> events.about(last.sopInstanceUid()).size() == 1);
            assertThat(events.about(last.sopInstanceUid()).get(0).payload().get("source").asText()).isEqualTo("import");
        }
    }

    @Test
    void hostileObjectsInAnImportAreReportedWithTheirReasonAndNotStored() {
        ObjectStore s3 = S3TestResource.store();
        List<HostileCases.Case> cases = HostileCases.all(30_300);
        for (int i = 0; i < cases.size(); i++) s3.put("imports/hostile/" + i + ".dcm", cases.get(i).bytes(), "application/dicom", Map.of());
        SliceTruth good = Fixtures.study(303).slices().get(0);
        s3.put("imports/hostile/good.dcm", Fixtures.bytes(good), "application/dicom", Map.of());

        String id = given().contentType("application/json").body(Map.of("bucket", "ich", "prefix", "imports/hostile/"))
                .when().post("/imports").then().statusCode(202).extract().path("id");

        await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(status(id).getString("state")));
        JsonPath done = status(id);
        assertThat(done.getLong("details.stored")).isEqualTo(1);
        assertThat(done.getLong("details.failed")).isEqualTo(cases.size());
        Map<String, String> reasons = new java.util.HashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            reasons.put(done.getString("details.failures[" + i + "].key"), done.getString("details.failures[" + i + "].reason"));
        }
        for (int i = 0; i < cases.size(); i++) {
            HostileCases.Case c = cases.get(i);
            assertThat(reasons.get("imports/hostile/" + i + ".dcm")).as(c.name()).startsWith(c.code().name() + ": ").contains(c.reason());
            assertThat(s3.list(ObjectKeys.RAW_PREFIX + c.instance().studyInstanceUid() + "/")).as(c.name()).isEmpty();
        }
    }

    @Test
    void anyReplicaAnswersFromTheStatusTheRunningReplicaKeepsInTheBucket() {
        // statuses another replica wrote: one still reporting, one whose pod went away five minutes ago
        ObjectStore s3 = S3TestResource.store();
        String running = UUID.randomUUID().toString();
        String gone = UUID.randomUUID().toString();
        Map<String, String> writtenBy = Map.of("replica", "ich-ingest-7d9f-x2");
        s3.put(ObjectKeys.OPERATIONS_IMPORTS + running + ".json", statusOfAnotherReplica(running, Instant.now()), "application/json", writtenBy);
        s3.put(ObjectKeys.OPERATIONS_IMPORTS + gone + ".json", statusOfAnotherReplica(gone, Instant.now().minus(Duration.ofMinutes(5))),
                "application/json", writtenBy);

        given().when().get("/imports/" + running).then().statusCode(200)
                .body("state", equalTo("running")).body("details.stored", equalTo(700))
                .body("details.prefix", equalTo("imports/rsna/"));
        given().when().get("/imports/" + gone).then().statusCode(200)
                .body("state", equalTo("interrupted")).body("details.stored", equalTo(700))
                .body("failure.code", equalTo("Interrupted"))
                .body("failure.detail", containsString("ich-ingest-7d9f-x2"))
                .body("failure.detail", containsString("POST /imports again with prefix \"imports/rsna/\""));
    }

    @Test
    void importingTheWholeBucketLeavesIngestsOwnBookkeepingAlone() {
        ObjectStore s3 = S3TestResource.store();
        s3.put("imports/whole/" + Fixtures.study(302).slices().get(0).sopInstanceUid() + ".dcm",
                Fixtures.bytes(Fixtures.study(302).slices().get(0)), "application/dicom", Map.of());
        String first = given().contentType("application/json").body(Map.of("prefix", "imports/whole/"))
                .when().post("/imports").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(status(first).getString("state")));
        assertThat(s3.stat(ObjectKeys.OPERATIONS_IMPORTS + first + ".json")).isPresent();

        String whole = given().contentType("application/json").body(Map.of("prefix", ""))
                .when().post("/imports").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(120)).until(() -> "succeeded".equals(status(whole).getString("state")));
        List<String> failedKeys = status(whole).getList("details.failures.key", String.class);
        assertThat(failedKeys).noneMatch(k -> k.startsWith(ObjectKeys.INGEST_PREFIX) || k.startsWith(ObjectKeys.RAW_PREFIX)
                || k.startsWith(ObjectKeys.OPERATIONS_PREFIX));
        assertThat(status(whole).getLong("details.duplicate")).isPositive();
    }

    private static byte[] statusOfAnotherReplica(String id, Instant updatedAt) {
        return ("{\"id\": \"" + id + "\", \"kind\": \"import\", \"state\": \"running\", \"message\": null,"
                + " \"progress\": {\"done\": 700, \"total\": null, \"unit\": \"objects\"},"
                + " \"startedAt\": \"" + updatedAt.minus(Duration.ofMinutes(10)) + "\", \"updatedAt\": \"" + updatedAt + "\","
                + " \"finishedAt\": null, \"failure\": null, \"details\": {\"bucket\": \"ich\", \"prefix\": \"imports/rsna/\","
                + " \"seen\": 1000, \"stored\": 700, \"duplicate\": 0, \"failed\": 0, \"failures\": []}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void importsSayClearlyWhatTheyCannotDo() {
        given().contentType("application/json").body(Map.of("bucket", "elsewhere", "prefix", "a/"))
                .when().post("/imports").then().statusCode(400).body("code", equalTo("OtherBucketNotSupported"));
        given().contentType("application/json").body(Map.of("prefix", "raw/"))
                .when().post("/imports").then().statusCode(400).body("code", equalTo("PrefixAlreadyIngested"));
        given().when().get("/imports/nope").then().statusCode(404).body("code", equalTo("UnknownImport"))
                .body("detail", containsString("nope"));
        given().when().get("/imports/" + UUID.randomUUID()).then().statusCode(404).body("code", equalTo("UnknownImport"));
    }

    /** Refused before anything starts, with the field named: once "../" was accepted (202) and failed later. */
    @Test
    void aPrefixThatCannotNameAnImportIsRefusedUpFront() {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("../", "InvalidPrefix");
        refused.put("imports/../raw/", "InvalidPrefix");
        refused.put("imports/./x/", "InvalidPrefix");
        refused.put("/imports/x/", "InvalidPrefix");
        refused.put("imports\\x\\", "InvalidPrefix");
        refused.put("imports/x\n", "InvalidPrefix");
        refused.put("imports//x/", "InvalidPrefix");
        refused.put("x".repeat(1025), "InvalidPrefix");
        refused.put("ingest/imports/", "PrefixReserved");
        refused.put("operations/imports/", "PrefixReserved");
        refused.put("imports/nothing-here-" + UUID.randomUUID() + "/", "NothingToImport");
        refused.forEach((prefix, code) -> given().contentType("application/json").body(Map.of("prefix", prefix))
                .when().post("/imports").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo(code)).body("field", equalTo("prefix")).body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyString())));
        given().contentType("application/json").body(Map.of("prefix", "../")).when().post("/imports").then()
                .body("detail", equalTo("prefix \"../\" has a \"..\" segment: name the folder itself (imports/batch-1/)"));
    }

    private static JsonPath status(String id) {
        return given().when().get("/imports/" + id).then().statusCode(200).extract().jsonPath();
    }
}

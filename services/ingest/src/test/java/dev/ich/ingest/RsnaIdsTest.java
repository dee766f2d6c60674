package dev.ich.ingest;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.ingest.Fixtures.Part;
import dev.ich.ingest.Fixtures.RsnaIds;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The RSNA data set's files carry {@code ID_<hex>} where DICOM puts UIDs. Given phantom slices rewritten that way,
 * every door (STOW-RS, upload, C-STORE, bulk import) stores them under {@code raw/ID_<study>/ID_<series>/ID_<sop>.dcm}
 * and announces them with those ids (ich.ingest.accept-rsna-ids is on by default); an id that is not exactly
 * {@code ID_} + hex digits is still refused as InvalidUid.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class RsnaIdsTest {

    @Test
    void aStudyWithRsnaIdsSentByStowIsStoredUnderItsIdsAndAnnouncedWithThem() throws Exception {
        RsnaIds ids = RsnaIds.of(901);
        List<SliceTruth> slices = Fixtures.study(901).slices();
        List<byte[]> files = slices.stream().map(s -> Fixtures.rsna(s, ids, ids.sop(s.sliceIndex()))).toList();
        assertThat(DicomReader.create().readHeader(files.get(0), "rsna.dcm").sopInstanceUid()).isEqualTo(ids.sop(0))
                .matches("ID_[0-9a-f]{9}");

        // half by POST /studies, half by POST /studies/{the study's RSNA id}
        JsonPath first = given().contentType(Fixtures.STOW_TYPE)
                .body(Fixtures.multipart(files.subList(0, 2).stream().map(Part::dicom).toList()))
                .when().post("/studies").then().statusCode(200).extract().jsonPath();
        JsonPath second = given().contentType(Fixtures.STOW_TYPE)
                .body(Fixtures.multipart(files.subList(2, 4).stream().map(Part::dicom).toList()))
                .when().post("/studies/" + ids.study()).then().statusCode(200).extract().jsonPath();

        assertThat(first.getList("'00081199'.Value.'00081155'.Value.flatten()", String.class)).containsExactly(ids.sop(0), ids.sop(1));
        assertThat(second.getList("'00081199'.Value.'00081155'.Value.flatten()", String.class)).containsExactly(ids.sop(2), ids.sop(3));
        ObjectStore s3 = S3TestResource.store();
        try (IngestedEvents events = new IngestedEvents()) {
            for (int i = 0; i < files.size(); i++) {
                String sop = ids.sop(i);
                String key = "raw/" + ids.study() + "/" + ids.series() + "/" + sop + ".dcm";
                assertThat(s3.get(key)).as(key).isEqualTo(Fixtures.stored(files.get(i)));
                await().atMost(Duration.ofSeconds(20)).until(() -> events.about(sop).size() == 1);
                var payload = events.about(sop).get(0).payload();
                assertThat(payload.get("objectKey").asText()).isEqualTo(key);
                assertThat(payload.get("studyInstanceUid").asText()).isEqualTo(ids.study());
                assertThat(payload.get("seriesInstanceUid").asText()).isEqualTo(ids.series());
                assertThat(payload.get("patientKey").asText()).isEqualTo(Fixtures.deidentifier().patientKey(ids.patient()));
            }
        }
    }

    @Test
    void anRsnaInstanceComesInByUploadByCStoreAndByImport(@TempDir Path dir) throws Exception {
        RsnaIds ids = RsnaIds.of(902);
        List<SliceTruth> slices = Fixtures.study(902).slices();
        byte[] uploaded = Fixtures.rsna(slices.get(0), ids, ids.sop(0));
        byte[] sentByStorescu = Fixtures.rsna(slices.get(1), ids, ids.sop(1));
        byte[] imported = Fixtures.rsna(slices.get(2), ids, ids.sop(2));
        String prefix = "raw/" + ids.study() + "/" + ids.series() + "/";

        given().contentType("application/dicom").body(uploaded).when().post("/instances")
                .then().statusCode(200).body("status", equalTo("stored")).body("sop", equalTo(ids.sop(0)))
                .body("objectKey", equalTo(prefix + ids.sop(0) + ".dcm"));

        Path file = Files.write(dir.resolve(ids.sop(1) + ".dcm"), sentByStorescu);
        Process storescu = new ProcessBuilder("storescu", "-aec", "ICH", "127.0.0.1", String.valueOf(DimsePortResource.port),
                file.toString()).redirectErrorStream(true).start();
        String output = new String(storescu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(storescu.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(storescu.exitValue()).as(output).isZero();

        ObjectStore s3 = S3TestResource.store();
        s3.put("imports/rsna-902/" + ids.sop(2) + ".dcm", imported, "application/dicom", Map.of());
        String id = given().contentType("application/json").body(Map.of("bucket", "ich", "prefix", "imports/rsna-902/"))
                .when().post("/imports").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(
                given().get("/imports/" + id).then().statusCode(200).extract().path("state")));
        given().get("/imports/" + id).then().body("details.stored", equalTo(1)).body("details.failed", equalTo(0));

        // C-STORE's receiver writes its own meta header, but de-identification writes a fresh one at every
        // door: what is stored is the de-identified form of what was sent, byte for byte, whichever door
        await().atMost(Duration.ofSeconds(20)).until(() -> s3.stat(prefix + ids.sop(1) + ".dcm").isPresent());
        assertThat(s3.get(prefix + ids.sop(1) + ".dcm")).isEqualTo(Fixtures.stored(sentByStorescu));
        assertThat(s3.get(prefix + ids.sop(0) + ".dcm")).isEqualTo(Fixtures.stored(uploaded));
        assertThat(s3.get(prefix + ids.sop(2) + ".dcm")).isEqualTo(Fixtures.stored(imported));
        try (IngestedEvents events = new IngestedEvents()) {
            String[] sources = {"upload", "c-store", "import"};
            for (int i = 0; i < 3; i++) {
                String sop = ids.sop(i);
                await().atMost(Duration.ofSeconds(20)).until(() -> events.about(sop).size() == 1);
                assertThat(events.about(sop).get(0).payload().get("source").asText()).isEqualTo(sources[i]);
            }
        }
    }

    @Test
    void anIdThatIsNotExactlyIdUnderscoreHexIsStillRefusedAsInvalidUid() {
        RsnaIds ids = RsnaIds.of(903);
        List<SliceTruth> slices = Fixtures.study(903).slices();
        byte[] badSop = Fixtures.rsna(slices.get(0), ids, "ID_xyz!");
        byte[] tooLong = Fixtures.rsna(slices.get(1), ids, "ID_" + "a".repeat(62));
        byte[] badStudy = Fixtures.rewritten(Fixtures.rsna(slices.get(2), ids, ids.sop(2)),
                Map.of("StudyInstanceUID", "ID_1e4b/../x"));

        given().contentType("application/dicom").body(badSop).when().post("/instances")
                .then().statusCode(422).body("code", equalTo("InvalidUid"))
                .body("detail", containsString("SOPInstanceUID \"ID_xyz!\" is not a UID"));
        JsonPath stow = given().contentType(Fixtures.STOW_TYPE)
                .body(Fixtures.multipart(List.of(Part.dicom(badSop), Part.dicom(tooLong), Part.dicom(badStudy))))
                .when().post("/studies").then().statusCode(409).extract().jsonPath();
        assertThat(stow.getList("'00081198'.Value.'00091001'.Value.flatten()", String.class))
                .containsExactly("InvalidUid", "InvalidUid", "InvalidUid");
        assertThat(stow.getList("'00081198'.Value.'00091002'.Value.flatten()", String.class))
                .satisfiesExactly(r -> assertThat(r).contains("ID_ and 1 to 61 hex digits"),
                        r -> assertThat(r).contains("65 characters long"),
                        r -> assertThat(r).contains("StudyInstanceUID \"ID_1e4b/../x\""));
        given().contentType(Fixtures.STOW_TYPE).body(Fixtures.multipart(List.of(Part.dicom(badSop))))
                .when().post("/studies/ID_zz").then().statusCode(400).body("code", equalTo("InvalidUid"));

        assertThat(S3TestResource.store().list(ObjectKeys.RAW_PREFIX + ids.study())).isEmpty();
        assertThat(S3TestResource.store().list(ObjectKeys.RAW_PREFIX + "ID_1e4b")).isEmpty();
    }
}

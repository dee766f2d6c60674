package dev.ich.ingest.dicomweb;

import dev.ich.ingest.DimsePortResource;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.storage.ObjectStore;
import dev.ich.ingest.dicomweb.DicomWebFixtures.Part;
import dev.ich.ingest.dicomweb.DicomWebFixtures.Sent;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** WADO-RS of a study STOW-RS stored: every part the stored object byte for byte, metadata, 404s and 406s. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class WadoTest {
    private static final String MULTIPART_DICOM = "multipart/related; type=\"application/dicom\"";
    private static Sent sent;

    private static synchronized Sent study() {
        if (sent == null) {
            DicomWebFixtures.awaitIndex();
            sent = DicomWebFixtures.stow(9201, Map.of("StudyDate", "20240501", "StudyTime", "120000"));
        }
        return sent;
    }

    private static byte[] inBucket(Sent s, int i) {
        ObjectStore s3 = S3TestResource.store();
        return s3.get(ObjectKeys.raw(s.study(), s.series(), s.sop(i)));
    }

    @Test
    void aStudyComesBackAsMultipartWithEachPartTheStoredObject() {
        Sent s = study();
        Response r = given().accept(MULTIPART_DICOM).get("/studies/" + s.study());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getContentType()).startsWith("multipart/related").contains("type=\"application/dicom\"").contains("boundary=");

        List<Part> parts = DicomWebFixtures.parts(r);
        assertThat(parts).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(parts.get(i).body()).as("part %d", i).isEqualTo(inBucket(s, i)).isEqualTo(s.storedBySop().get(s.sop(i)));
            assertThat(parts.get(i).headers().get("content-type")).isEqualTo("application/dicom; transfer-syntax=1.2.840.10008.1.2.1");
        }
    }

    @Test
    void aSeriesAndAnInstanceToo() {
        Sent s = study();
        List<Part> series = DicomWebFixtures.parts(given().accept(MULTIPART_DICOM).get("/studies/" + s.study() + "/series/" + s.series()));
        assertThat(series).extracting(Part::body).containsExactly(inBucket(s, 0), inBucket(s, 1), inBucket(s, 2), inBucket(s, 3));

        Response one = given().get("/studies/" + s.study() + "/series/" + s.series() + "/instances/" + s.sop(2));
        assertThat(one.statusCode()).as("no Accept header: the default, multipart DICOM").isEqualTo(200);
        assertThat(DicomWebFixtures.parts(one)).singleElement().extracting(Part::body).isEqualTo(inBucket(s, 2));
    }

    @Test
    void theStoredTransferSyntaxOrAnyIsServedAndNothingElse() {
        Sent s = study();
        String path = "/studies/" + s.study();
        given().accept(MULTIPART_DICOM + "; transfer-syntax=1.2.840.10008.1.2.1").get(path).then().statusCode(200);
        given().accept(MULTIPART_DICOM + "; transfer-syntax=*").get(path).then().statusCode(200);
        given().accept("*/*").get(path).then().statusCode(200);
        given().accept("application/json, " + MULTIPART_DICOM + ";q=0.5").get(path).then().statusCode(200);

        given().accept(MULTIPART_DICOM + "; transfer-syntax=1.2.840.10008.1.2.4.50").get(path).then().statusCode(406)
                .contentType("application/problem+json").body("code", equalTo("NotAcceptable"))
                .body("detail", containsString("does not transcode")).body("detail", containsString("1.2.840.10008.1.2.1"));
        given().accept("multipart/related; type=\"application/octet-stream\"").get(path).then().statusCode(406)
                .body("detail", containsString("no bulk data"));
        given().accept("application/dicom+json").get(path).then().statusCode(406)
                .body("detail", containsString("multipart/related")).body("detail", containsString("metadata"));
        given().accept("image/jpeg").get(path + "/series/" + s.series() + "/instances/" + s.sop(0)).then().statusCode(406);
    }

    @Test
    void metadataIsTheDicomJsonOfEachStoredInstanceWithoutItsPixels() {
        Sent s = study();
        JsonPath study = given().accept("application/dicom+json").get("/studies/" + s.study() + "/metadata")
                .then().statusCode(200).contentType("application/dicom+json").extract().jsonPath();
        assertThat(study.getList("'00080018'.Value.flatten()", String.class)).containsExactly(s.sop(0), s.sop(1), s.sop(2), s.sop(3));
        List<Map<String, Object>> instances = study.getList("$");
        for (Map<String, Object> in : instances) {
            assertThat(in).doesNotContainKey("7FE00010").containsEntry("00280010", Map.of("vr", "US", "Value", List.of(128)))
                    .containsEntry("0020000D", Map.of("vr", "UI", "Value", List.of(s.study())));
            assertThat(in.keySet()).allMatch(t -> t.matches("[0-9A-F]{8}")).noneMatch(t -> t.startsWith("0002"));
        }
        // the whole header, not only what the index holds: window, rescale, the de-identification record
        assertThat(instances.get(0)).containsKeys("00281050", "00281052", "00120062", "00120064");
        assertThat(instances.get(0).get("00120062")).isEqualTo(Map.of("vr", "CS", "Value", List.of("YES")));

        JsonPath series = given().get("/studies/" + s.study() + "/series/" + s.series() + "/metadata").then().statusCode(200).extract().jsonPath();
        assertThat(series.getList("$")).hasSize(4);
        JsonPath one = given().get("/studies/" + s.study() + "/series/" + s.series() + "/instances/" + s.sop(1) + "/metadata")
                .then().statusCode(200).extract().jsonPath();
        assertThat(one.getList("'00080018'.Value.flatten()", String.class)).containsExactly(s.sop(1));
        assertThat(one.getString("[0].'00100020'.Value[0]")).isEqualTo(s.stored("00100020"));

        given().accept("application/dicom+xml").get("/studies/" + s.study() + "/metadata").then().statusCode(406)
                .body("detail", containsString("no XML"));
    }

    @Test
    void unknownUidsAre404AndMalformedOnes400() {
        Sent s = study();
        String unknown = "1.2.826.0.1.999";
        for (String path : List.of("/studies/" + unknown, "/studies/" + unknown + "/metadata", "/studies/" + s.study() + "/series/" + unknown,
                "/studies/" + s.study() + "/series/" + s.series() + "/instances/" + unknown,
                "/studies/" + s.study() + "/series/" + s.series() + "/instances/" + unknown + "/metadata")) {
            given().get(path).then().statusCode(404).contentType("application/problem+json").body("code", equalTo("NotFound"))
                    .body("detail", containsString(unknown));
        }
        given().get("/studies/1.2.3..4").then().statusCode(400).body("code", equalTo("InvalidUid"))
                .body("detail", containsString("StudyInstanceUID"));
        given().get("/studies/" + s.study() + "/series/ID_xyz").then().statusCode(400).body("field", equalTo("SeriesInstanceUID"));
    }

    @Test
    void aReaderMayNotRetrievePatientData() {
        Sent s = study();
        given().header("Authorization", "Bearer " + OidcTestResource.token("ich-reader")).get("/studies/" + s.study())
                .then().statusCode(403).body("roles", org.hamcrest.Matchers.containsInAnyOrder("ich-clinician", "ich-curator"));
        given().header("Authorization", "Bearer " + OidcTestResource.token("ich-clinician")).get("/studies/" + s.study())
                .then().statusCode(200);
    }
}

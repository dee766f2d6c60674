package dev.ich.ingest.dicomweb;

import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.ingest.dicomweb.DicomWebFixtures.Sent;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * QIDO-RS over what STOW-RS stored: three phantom studies (de-identified on the way in, so the PatientID is the
 * pseudonym and dates are shifted per patient), searched per level with each query key, the answers checked against
 * the stored objects and the PS3.18 JSON model.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class QidoTest {
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static List<Sent> sent;

    @Inject
    DicomWebIndex index;

    /** Three studies, oldest stored date first. */
    private static synchronized List<Sent> studies() {
        if (sent == null) {
            DicomWebFixtures.awaitIndex();
            sent = List.of(
                    DicomWebFixtures.stow(9101, Map.of("StudyDate", "20240110", "StudyTime", "083000", "SeriesNumber", "3")),
                    DicomWebFixtures.stow(9102, Map.of("StudyDate", "20240220", "StudyTime", "101500", "SeriesNumber", "3")),
                    DicomWebFixtures.stow(9103, Map.of("StudyDate", "20240330", "StudyTime", "143000", "SeriesNumber", "3")))
                    .stream().sorted(Comparator.comparing(s -> s.stored("00080020"))).toList();
        }
        return sent;
    }

    private static String ours() {
        return String.join(",", studies().stream().map(Sent::study).toList());
    }

    private static JsonPath qido(String path) {
        return given().accept("application/dicom+json").get(path).then().statusCode(200)
                .contentType("application/dicom+json").extract().jsonPath();
    }

    private static List<String> studyUids(String path) {
        return qido(path).getList("'0020000D'.Value.flatten()", String.class);
    }

    @Test
    void aStudyAnswersItsRequiredAttributesInTheDicomJsonModel() {
        Sent a = studies().get(0);
        SliceTruth first = a.slices().get(0);
        JsonPath r = qido("/studies?StudyInstanceUID=" + a.study());

        assertThat(r.getList("$")).hasSize(1);
        Map<String, Map<String, Object>> study = r.getMap("[0]");
        assertThat(study.keySet()).contains("00080020", "00080030", "00080050", "00080056", "00080061", "00080090", "00081190",
                "00100010", "00100020", "00100030", "00100040", "0020000D", "00200010", "00201206", "00201208");
        assertThat(study.keySet()).allMatch(tag -> tag.matches("[0-9A-F]{8}"));
        assertThat(study.values()).allMatch(e -> e.get("vr") instanceof String);
        assertThat(study.get("0020000D")).isEqualTo(Map.of("vr", "UI", "Value", List.of(a.study())));
        assertThat(study.get("00100020")).isEqualTo(Map.of("vr", "LO", "Value",
                List.of(Fixtures.deidentifier().patientKey(first.patientId()))));
        // de-identification shifted the date by this patient's days; the answer is what is stored
        String shifted = LocalDate.parse("20240110", DA).minusDays(Fixtures.deidentifier().dateShiftDays(first.patientId())).format(DA);
        assertThat(study.get("00080020").get("vr")).isEqualTo("DA");
        assertThat(studies().stream().map(s -> s.stored("00080020"))).contains(shifted);
        assertThat(study.get("00080020").get("Value")).isEqualTo(List.of(a.stored("00080020")));
        assertThat(study.get("00080061")).isEqualTo(Map.of("vr", "CS", "Value", List.of("CT")));
        assertThat(study.get("00201206")).isEqualTo(Map.of("vr", "IS", "Value", List.of(1)));
        assertThat(study.get("00201208")).isEqualTo(Map.of("vr", "IS", "Value", List.of(4)));
        assertThat(study.get("00080056")).isEqualTo(Map.of("vr", "CS", "Value", List.of("ONLINE")));
        assertThat(study.get("00081190").get("vr")).isEqualTo("UR");
        assertThat((List<?>) study.get("00081190").get("Value")).singleElement().asString().matches("http://[^/]+/studies/" + a.study());
        // required but emptied by de-identification: present, with a VR and no Value
        assertThat(study.get("00100010")).isEqualTo(Map.of("vr", "PN"));
        assertThat(study.get("00080050")).isEqualTo(Map.of("vr", "SH"));
        assertThat(study).doesNotContainKey("00081030"); // StudyDescription: only on includefield
    }

    @Test
    void studyDateMatchesOneDateAndRangesOpenOnEitherSide() {
        List<String> dates = studies().stream().map(s -> s.stored("00080020")).toList();
        List<String> uids = studies().stream().map(Sent::study).toList();
        String among = "&StudyInstanceUID=" + ours();

        assertThat(studyUids("/studies?StudyDate=" + dates.get(1) + among)).containsExactly(uids.get(1));
        assertThat(studyUids("/studies?StudyDate=" + dates.get(0) + "-" + dates.get(1) + among))
                .containsExactlyInAnyOrder(uids.get(0), uids.get(1));
        assertThat(studyUids("/studies?StudyDate=-" + dates.get(1) + among)).containsExactlyInAnyOrder(uids.get(0), uids.get(1));
        assertThat(studyUids("/studies?StudyDate=" + dates.get(1) + "-" + among)).containsExactlyInAnyOrder(uids.get(1), uids.get(2));
        assertThat(studyUids("/studies?StudyDate=19000101-19000102" + among)).isEmpty();
    }

    @Test
    void studyTimeMatchesOneTimeAndRanges() {
        Sent earliest = studies().stream().min(Comparator.comparing(s -> s.stored("00080030"))).orElseThrow();
        String t = earliest.stored("00080030");
        assertThat(t).as("StudyTime as stored").matches("\\d{6}.*");
        assertThat(studyUids("/studies?StudyTime=" + t + "&StudyInstanceUID=" + ours())).containsExactly(earliest.study());
        assertThat(studyUids("/studies?StudyTime=-" + t + "&StudyInstanceUID=" + ours())).containsExactly(earliest.study());
        // an hour alone as the upper bound reaches to the end of that hour
        assertThat(studyUids("/studies?StudyTime=0000-" + t.substring(0, 2) + "&StudyInstanceUID=" + ours())).contains(earliest.study());
        assertThat(studyUids("/studies?StudyTime=" + t.substring(0, 4) + "-&StudyInstanceUID=" + ours())).hasSize(3);
    }

    @Test
    void patientIdMatchesExactlyAndWithWildcards() {
        Sent b = studies().get(1);
        String key = Fixtures.deidentifier().patientKey(b.slices().get(0).patientId());

        assertThat(studyUids("/studies?PatientID=" + key)).containsExactly(b.study());
        assertThat(studyUids("/studies?PatientID=" + key.substring(0, 8) + "*&StudyInstanceUID=" + ours())).containsExactly(b.study());
        assertThat(given().queryParam("PatientID", key.substring(0, key.length() - 1) + "?").get("/studies").jsonPath()
                .getList("'0020000D'.Value.flatten()", String.class)).containsExactly(b.study());
        assertThat(studyUids("/studies?00100020=" + key)).containsExactly(b.study()); // the tag instead of the keyword
        assertThat(studyUids("/studies?PatientID=" + key.toLowerCase() + "x")).isEmpty();
    }

    @Test
    void anEmptyResultIsOkWithAnEmptyArray() {
        given().get("/studies?PatientID=nobody-at-all").then().statusCode(200).contentType("application/dicom+json")
                .body(equalTo("[]"));
    }

    @Test
    void studyUidsMatchAsAListByTagOrKeyword() {
        List<String> uids = studies().stream().map(Sent::study).toList();
        assertThat(studyUids("/studies?0020000d=" + uids.get(0) + "," + uids.get(2))).containsExactlyInAnyOrder(uids.get(0), uids.get(2));
        assertThat(studyUids("/studies?StudyInstanceUID=" + uids.get(0) + "&StudyInstanceUID=" + uids.get(1)))
                .containsExactlyInAnyOrder(uids.get(0), uids.get(1));
    }

    @Test
    void modalitiesInStudyMatchesAnyOfTheStudysModalities() {
        String a = studies().get(0).study();
        assertThat(studyUids("/studies?ModalitiesInStudy=CT&StudyInstanceUID=" + a)).containsExactly(a);
        assertThat(studyUids("/studies?ModalitiesInStudy=MR,CT&StudyInstanceUID=" + a)).containsExactly(a);
        assertThat(studyUids("/studies?ModalitiesInStudy=MR&StudyInstanceUID=" + a)).isEmpty();
    }

    @Test
    void limitAndOffsetPageNewestFirstAndAWarningSaysWhenMoreAreLeft() {
        List<String> newestFirst = new java.util.ArrayList<>(studies().stream().map(Sent::study).toList());
        java.util.Collections.reverse(newestFirst);

        Response first = given().get("/studies?limit=2&StudyInstanceUID=" + ours());
        assertThat(first.jsonPath().getList("'0020000D'.Value.flatten()", String.class)).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(first.getHeader("Warning")).startsWith("299 ").contains("3 results match").contains("offset=2");

        Response rest = given().get("/studies?limit=2&offset=2&StudyInstanceUID=" + ours());
        assertThat(rest.jsonPath().getList("'0020000D'.Value.flatten()", String.class)).containsExactly(newestFirst.get(2));
        assertThat(rest.getHeader("Warning")).isNull();
        assertThat(studyUids("/studies?offset=5&StudyInstanceUID=" + ours())).isEmpty();
    }

    @Test
    void includefieldAddsAttributesByKeywordTagListOrAll() {
        String a = studies().get(0).study();
        Map<String, Object> one = qido("/studies?includefield=StudyDescription&includefield=00100021,PatientAge&StudyInstanceUID=" + a).getMap("[0]");
        assertThat(one).containsKeys("00081030", "00100021", "00101010").containsEntry("00081030", Map.of("vr", "LO"));

        Map<String, Object> all = qido("/studies/" + a + "/series/" + studies().get(0).series() + "/instances?includefield=all&limit=1").getMap("[0]");
        assertThat(all).containsKeys("00200032", "00200037", "00280030", "00180050", "00280004", "00280101");
        Map<?, ?> position = (Map<?, ?>) all.get("00200032");
        assertThat(position.get("vr")).isEqualTo("DS");
        assertThat((List<?>) position.get("Value")).hasSize(3).allMatch(v -> v instanceof Number);
        assertThat((List<?>) ((Map<?, ?>) all.get("00280030")).get("Value")).allMatch(v -> v instanceof Number).hasSize(2);
        // a tag ich does not index is not there to return; an unknown keyword is refused
        assertThat(qido("/studies?includefield=00091001&StudyInstanceUID=" + a).getMap("[0]")).doesNotContainKey("00091001");
    }

    @Test
    void seriesAnswerTheirAttributesAndMatchModality() {
        Sent a = studies().get(0);
        JsonPath r = qido("/studies/" + a.study() + "/series");
        assertThat(r.getList("$")).hasSize(1);
        Map<String, Object> series = r.getMap("[0]");
        assertThat(series).containsEntry("0020000E", Map.of("vr", "UI", "Value", List.of(a.series())))
                .containsEntry("00080060", Map.of("vr", "CS", "Value", List.of("CT")))
                .containsEntry("00201209", Map.of("vr", "IS", "Value", List.of(4)))
                .containsEntry("00200011", Map.of("vr", "IS", "Value", List.of(3)))
                .containsEntry("0020000D", Map.of("vr", "UI", "Value", List.of(a.study())))
                .containsKeys("0008103E", "00400244", "00400245", "00080056")
                .doesNotContainKey("00100020"); // study attributes only in relational queries
        assertThat(r.getString("[0].'00081190'.Value[0]")).endsWith("/studies/" + a.study() + "/series/" + a.series());
        assertThat(qido("/studies/" + a.study() + "/series?Modality=CT").getList("$")).hasSize(1);
        assertThat(qido("/studies/" + a.study() + "/series?Modality=MR").getList("$")).isEmpty();
    }

    @Test
    void seriesAcrossStudiesMatchAndCarryStudyAttributes() {
        Sent c = studies().get(2);
        String key = Fixtures.deidentifier().patientKey(c.slices().get(0).patientId());
        JsonPath r = given().queryParam("PatientID", key).queryParam("Modality", "C?").get("/series").then().statusCode(200)
                .extract().jsonPath();
        assertThat(r.getList("'0020000E'.Value.flatten()", String.class)).containsExactly(c.series());
        assertThat(r.getString("[0].'00100020'.Value[0]")).isEqualTo(key);
        assertThat(r.getInt("[0].'00201208'.Value[0]")).isEqualTo(4);
    }

    @Test
    void instancesAnswerInNumberOrderAndMatchTheirKeys() {
        Sent a = studies().get(0);
        String path = "/studies/" + a.study() + "/series/" + a.series() + "/instances";
        JsonPath r = qido(path);
        assertThat(r.getList("'00080018'.Value.flatten()", String.class)).containsExactly(a.sop(0), a.sop(1), a.sop(2), a.sop(3));
        assertThat(r.getList("'00200013'.Value.flatten()", Integer.class)).containsExactly(1, 2, 3, 4);
        Map<String, Object> first = r.getMap("[0]");
        assertThat(first).containsEntry("00080016", Map.of("vr", "UI", "Value", List.of("1.2.840.10008.5.1.4.1.1.2")))
                .containsEntry("00280010", Map.of("vr", "US", "Value", List.of(128)))
                .containsEntry("00280100", Map.of("vr", "US", "Value", List.of(16)))
                .containsEntry("00083002", Map.of("vr", "UI", "Value", List.of("1.2.840.10008.1.2.1")))
                .containsEntry("0020000E", Map.of("vr", "UI", "Value", List.of(a.series())))
                .containsKey("00280008");
        assertThat(r.getString("[0].'00081190'.Value[0]")).endsWith(path + "/" + a.sop(0));

        assertThat(qido(path + "?SOPInstanceUID=" + a.sop(2)).getList("'00080018'.Value.flatten()", String.class)).containsExactly(a.sop(2));
        assertThat(qido(path + "?InstanceNumber=2").getList("'00080018'.Value.flatten()", String.class)).containsExactly(a.sop(1));
        assertThat(qido("/studies/" + a.study() + "/instances?SOPInstanceUID=" + a.sop(0) + "," + a.sop(3))
                .getList("'00080018'.Value.flatten()", String.class)).containsExactly(a.sop(0), a.sop(3));
        assertThat(qido("/instances?StudyInstanceUID=" + a.study()).getList("$")).hasSize(4);
        assertThat(qido("/instances?StudyInstanceUID=" + a.study()).getInt("[0].'00201209'.Value[0]")).isEqualTo(4);
    }

    @Test
    void unknownOrMalformedParametersAre400NamingTheParameter() {
        studies();
        Map<String, String> bad = Map.of(
                "/studies?Foo=1", "Foo",
                "/studies?StudyDate=2024-01-01x", "StudyDate",
                "/studies?limit=0", "limit",
                "/studies?offset=-1", "offset",
                "/studies?Modality=CT", "Modality",
                "/studies?includefield=NoSuchKeyword", "includefield",
                "/studies?fuzzymatching=maybe", "fuzzymatching",
                "/studies?NumberOfStudyRelatedSeries=1", "NumberOfStudyRelatedSeries",
                "/studies?InstanceNumber=x", "InstanceNumber");
        bad.forEach((path, parameter) -> given().get(path).then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("InvalidQuery")).body("field", equalTo(parameter))
                .body("detail", org.hamcrest.Matchers.containsString(parameter)));
        given().get("/studies/1.2.x!/series").then().statusCode(400).body("code", equalTo("InvalidUid"));
        given().get("/studies/1.2.826.0.1.999/series").then().statusCode(404).body("code", equalTo("NotFound"))
                .body("detail", org.hamcrest.Matchers.containsString("1.2.826.0.1.999"));
    }

    @Test
    void fuzzyMatchingIsNotOfferedAndTheWarningSaysSo() {
        Response r = given().get("/studies?fuzzymatching=true&StudyInstanceUID=" + studies().get(0).study());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getHeader("Warning")).contains("fuzzymatching parameter is not supported");
        assertThat(given().get("/studies?fuzzymatching=false&StudyInstanceUID=" + studies().get(0).study()).getHeader("Warning")).isNull();
    }

    @Test
    void anInstanceAnotherReplicaStoredAppearsWithinSeconds() throws Exception {
        studies();
        // what another replica does on a store: the object, then its index record, both in the shared bucket
        SliceTruth slice = Fixtures.study(9104).slices().get(0);
        byte[] stored = Fixtures.stored(slice);
        String key = ObjectKeys.raw(slice.studyInstanceUid(), slice.seriesInstanceUid(), slice.sopInstanceUid());
        ObjectStore s3 = S3TestResource.store();
        s3.put(key, stored, "application/dicom", Map.of());
        IndexRecord record = IndexRecord.of(key, stored, Instant.now());
        s3.put(record.key(), record.json(), "application/json", Map.of());

        await().atMost(Duration.ofSeconds(20)).until(() -> studyUids("/studies?StudyInstanceUID=" + slice.studyInstanceUid()).size() == 1);
    }

    @Test
    void objectsStoredBeforeTheIndexAreBackfilledIntoIt() {
        studies();
        SliceTruth slice = Fixtures.study(9105).slices().get(0);
        String key = ObjectKeys.raw(slice.studyInstanceUid(), slice.seriesInstanceUid(), slice.sopInstanceUid());
        ObjectStore s3 = S3TestResource.store();
        s3.put(key, Fixtures.stored(slice), "application/dicom", Map.of()); // as an older ingest left it: no record
        assertThat(studyUids("/studies?StudyInstanceUID=" + slice.studyInstanceUid())).isEmpty();

        assertThat(index.backfill()).isGreaterThanOrEqualTo(1);

        assertThat(studyUids("/studies?StudyInstanceUID=" + slice.studyInstanceUid())).hasSize(1);
        String recordName = "/" + slice.sopInstanceUid() + ".json";
        assertThat(s3.list(ObjectKeys.INGEST_INDEX_PREFIX)).filteredOn(o -> o.key().endsWith(recordName)).hasSize(1);
        index.backfill(); // once: the record now exists, so the object is not read again
        assertThat(s3.list(ObjectKeys.INGEST_INDEX_PREFIX)).filteredOn(o -> o.key().endsWith(recordName)).hasSize(1);
    }
}

package dev.ich.ingest.dicomweb;

import dev.ich.ingest.DeidentifyOffTest;
import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.dicomweb.DicomWebFixtures.Sent;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keys de-identification empties (names, accession numbers, birth date, sex) matched where it is switched off:
 * person names as {"Alphabetic": ...}, wildcards on them case-insensitively.
 */
@QuarkusTest
@TestProfile(DeidentifyOffTest.Off.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class QidoIdentifiedTest {
    private static List<Sent> sent;

    private static synchronized List<Sent> studies() {
        if (sent == null) {
            DicomWebFixtures.awaitIndex();
            sent = List.of(
                    DicomWebFixtures.stow(9401, Map.of("PatientName", "Doe^Jane", "AccessionNumber", "ACC-9401",
                            "ReferringPhysicianName", "House^Gregory", "PatientSex", "F", "PatientBirthDate", "19700101",
                            "StudyDate", "20240105"), false),
                    DicomWebFixtures.stow(9402, Map.of("PatientName", "Dough^John", "AccessionNumber", "ACC-9402",
                            "PatientSex", "M", "PatientBirthDate", "19800202", "StudyDate", "20240106"), false));
        }
        return sent;
    }

    private static List<String> uids(String key, String value) {
        String ours = studies().get(0).study() + "," + studies().get(1).study();
        return given().queryParam(key, value).queryParam("StudyInstanceUID", ours).get("/studies").then().statusCode(200)
                .extract().jsonPath().getList("'0020000D'.Value.flatten()", String.class);
    }

    @Test
    void personNamesAreAlphabeticObjectsAndMatchWithWildcardsWhateverTheCase() {
        Sent jane = studies().get(0);
        Sent john = studies().get(1);
        Map<String, Object> study = given().get("/studies?StudyInstanceUID=" + jane.study()).then().statusCode(200)
                .extract().jsonPath().getMap("[0]");
        assertThat(study).containsEntry("00100010", Map.of("vr", "PN", "Value", List.of(Map.of("Alphabetic", "Doe^Jane"))))
                .containsEntry("00080090", Map.of("vr", "PN", "Value", List.of(Map.of("Alphabetic", "House^Gregory"))))
                .containsEntry("00080050", Map.of("vr", "SH", "Value", List.of("ACC-9401")))
                .containsEntry("00100040", Map.of("vr", "CS", "Value", List.of("F")))
                .containsEntry("00100030", Map.of("vr", "DA", "Value", List.of("19700101")));

        assertThat(uids("PatientName", "doe*")).containsExactly(jane.study());
        assertThat(uids("PatientName", "D?ugh^*")).containsExactly(john.study());
        assertThat(uids("PatientName", "*^J*")).containsExactlyInAnyOrder(jane.study(), john.study());
        assertThat(uids("PatientName", "Doe")).isEmpty(); // single value matching is the whole name
        assertThat(uids("ReferringPhysicianName", "house^*")).containsExactly(jane.study());
    }

    @Test
    void accessionNumberSexAndBirthDateMatch() {
        Sent jane = studies().get(0);
        Sent john = studies().get(1);
        assertThat(uids("AccessionNumber", "ACC-9402")).containsExactly(john.study());
        assertThat(uids("AccessionNumber", "ACC-94*")).containsExactlyInAnyOrder(jane.study(), john.study());
        assertThat(uids("00080050", "acc-9402")).isEmpty(); // case matters outside person names
        assertThat(uids("PatientSex", "F")).containsExactly(jane.study());
        assertThat(uids("PatientBirthDate", "-19751231")).containsExactly(jane.study());
        assertThat(uids("PatientBirthDate", "19800202")).containsExactly(john.study());
    }
}

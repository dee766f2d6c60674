package dev.ich.ingest.stow;

import dev.ich.ingest.Dcmtk;
import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import dev.ich.ingest.HostileCases;
import dev.ich.ingest.IngestedEvents;
import dev.ich.ingest.Ingestor;
import dev.ich.ingest.Rejection;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.ingest.Fixtures.Part;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class StowTest {
    private static IngestedEvents events;

    @BeforeAll
    static void listen() {
        events = new IngestedEvents();
    }

    @AfterAll
    static void stop() {
        events.close();
    }

    @Test
    void aPhantomStudySentByStowIsStoredUnchangedAndAnnouncedOncePerInstance() {
        PhantomSet study = Fixtures.study(101);
        List<SliceTruth> slices = study.slices();

        JsonPath response = given().contentType(Fixtures.STOW_TYPE)
                .body(Fixtures.multipart(slices.stream().map(s -> Part.dicom(Fixtures.bytes(s))).toList()))
                .when().post("/studies")
                .then().statusCode(200).contentType(StoreResponse.MEDIA_TYPE).extract().jsonPath();

        assertThat(response.getList("'00081199'.Value.'00081155'.Value.flatten()", String.class))
                .containsExactlyElementsOf(slices.stream().map(SliceTruth::sopInstanceUid).toList());
        assertThat(response.getList("'00081199'.Value.'00081150'.Value.flatten()", String.class))
                .containsOnly("1.2.840.10008.5.1.4.1.1.2"); // CT Image Storage
        assertThat(response.getList("'00081199'.Value.'00091001'.Value.flatten()", String.class)).containsOnly("stored");
        assertThat(response.getMap("$")).doesNotContainKey("00081198");

        ObjectStore s3 = S3TestResource.store();
        for (SliceTruth slice : slices) {
            String key = ObjectKeys.raw(slice.studyInstanceUid(), slice.seriesInstanceUid(), slice.sopInstanceUid());
            byte[] stored = Fixtures.stored(slice);
            assertThat(s3.get(key)).isEqualTo(stored);
            assertThat(s3.stat(key).orElseThrow().sha256()).isEqualTo(Ingestor.sha256(stored));

            await().atMost(Duration.ofSeconds(20)).until(() -> events.about(slice.sopInstanceUid()).size() == 1);
            IngestedEvents.Event event = events.about(slice.sopInstanceUid()).get(0);
            assertThat(event.payload().get("objectKey").asText()).isEqualTo(key);
            assertThat(event.payload().get("sha256").asText()).isEqualTo(Ingestor.sha256(stored));
            assertThat(event.payload().get("size").asLong()).isEqualTo(stored.length);
            assertThat(event.payload().get("source").asText()).isEqualTo("stow");
            assertThat(event.payload().get("patientKey").asText()).isEqualTo(Fixtures.deidentifier().patientKey(slice.patientId()));
            assertThat(event.headers()).containsEntry("ce_type", "dev.ich.dicom.ingested")
                    .containsEntry("ce_source", "/ich/ingest").containsEntry("ce_specversion", "1.0")
                    .containsEntry("ce_subject", slice.sopInstanceUid()).containsEntry("content-type", "application/json")
                    .containsKey("ce_id");
        }
    }

    @Test
    void aMixedRequestStoresTheGoodPartsAndSaysWhyEachBadOneFailed() {
        SliceTruth good = Fixtures.study(102).slices().get(1);
        byte[] mr = Fixtures.pydicom("MR_small.dcm");
        byte[] truncated = Arrays.copyOf(Fixtures.bytes(Fixtures.study(103).slices().get(2)), 20_000);

        JsonPath response = given().contentType(Fixtures.STOW_TYPE)
                .body(Fixtures.multipart(List.of(Part.dicom(Fixtures.bytes(good)), Part.dicom("not dicom at all".getBytes()),
                        Part.dicom(mr), Part.dicom(truncated), new Part("text/plain", "hello".getBytes()),
                        Part.dicom(new byte[5 * 1024 * 1024]))))
                .when().post("/studies")
                .then().statusCode(202).extract().jsonPath();

        assertThat(response.getList("'00081199'.Value.'00081155'.Value.flatten()", String.class)).containsExactly(good.sopInstanceUid());
        List<Map<String, Object>> failed = response.getList("'00081198'.Value");
        assertThat(failed).hasSize(5);
        assertThat(response.getList("'00081198'.Value.'00091001'.Value.flatten()", String.class))
                .containsExactly("NotDicom", "ModalityNotAllowed", "Truncated", "WrongContentType", "TooLarge");
        assertThat(response.getList("'00081198'.Value.'00081197'.Value.flatten()", Integer.class))
                .containsExactly(0xC000, 0xA900, 0xC000, 0xC000, 0xA700);
        List<String> reasons = response.getList("'00081198'.Value.'00091002'.Value.flatten()", String.class);
        assertThat(reasons.get(0)).contains("not a DICOM file");
        assertThat(reasons.get(1)).contains("Modality \"MR\" is not accepted");
        assertThat(reasons.get(2)).contains("truncated");
        assertThat(reasons.get(3)).contains("text/plain");
        assertThat(reasons.get(4)).contains("exceeds the limit of 4194304 bytes");
        // the MR instance's UIDs were readable, so the failure names it as the standard asks
        assertThat(response.getString("'00081198'.Value[1].'00081155'.Value[0]"))
                .isEqualTo("1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457");
        assertThat(S3TestResource.store().list(ObjectKeys.RAW_PREFIX + "1.3.6.1.4.1.5962.1.2.4")).isEmpty();
    }

    @Test
    void hostileAndUndecodableInstancesAreRefusedAtTheDoorWithTheirReasonAndNothingOfThemIsStored() throws Exception {
        SliceTruth good = Fixtures.study(105).slices().get(0);
        List<HostileCases.Case> cases = new java.util.ArrayList<>(HostileCases.all(10_500));
        SliceTruth corrupt = HostileCases.shortPixelData(106);
        cases.add(new HostileCases.Case("the phantoms' short-PixelData slice", new dev.ich.core.phantom.HostileDicom.Instance(
                Fixtures.bytes(corrupt), corrupt.studyInstanceUid(), corrupt.seriesInstanceUid(), corrupt.sopInstanceUid()),
                null, Rejection.ShortPixelData, "PixelData holds", true));
        SliceTruth other = Fixtures.study(107).slices().get(0);
        java.nio.file.Path jpegLs = java.nio.file.Files.createTempFile("ich-jls", ".dcm");
        assertThat(Dcmtk.run("dcmcjpls", other.file().toString(), jpegLs.toString()).exit()).isZero();
        cases.add(new HostileCases.Case("a JPEG-LS CT slice", new dev.ich.core.phantom.HostileDicom.Instance(Fixtures.bytes(jpegLs),
                other.studyInstanceUid(), other.seriesInstanceUid(), other.sopInstanceUid()), null, Rejection.UnsupportedTransferSyntax,
                "JPEG-LS Lossless (1.2.840.10008.1.2.4.80)", true));
        List<Part> parts = new java.util.ArrayList<>(List.of(Part.dicom(Fixtures.bytes(good))));
        for (HostileCases.Case c : cases) parts.add(Part.dicom(c.bytes()));

        JsonPath response = given().contentType(Fixtures.STOW_TYPE).body(Fixtures.multipart(parts))
                .when().post("/studies")
                .then().statusCode(202).extract().jsonPath();

        assertThat(response.getList("'00081199'.Value.'00081155'.Value.flatten()", String.class)).containsExactly(good.sopInstanceUid());
        assertThat(response.getList("'00081198'.Value.'00091001'.Value.flatten()", String.class))
                .containsExactlyElementsOf(cases.stream().map(c -> c.code().name()).toList());
        for (int i = 0; i < cases.size(); i++) {
            HostileCases.Case c = cases.get(i);
            String item = "'00081198'.Value[" + i + "].";
            assertThat(response.getString(item + "'00091002'.Value[0]")).as(c.name()).contains(c.reason());
            assertThat(response.getInt(item + "'00081197'.Value[0]")).as(c.name()).isEqualTo(c.code().failureReason());
            if (c.named()) assertThat(response.getString(item + "'00081155'.Value[0]")).as(c.name()).isEqualTo(c.instance().sopInstanceUid());
            assertThat(S3TestResource.store().list(ObjectKeys.RAW_PREFIX + c.instance().studyInstanceUid() + "/")).as(c.name()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> events.about(good.sopInstanceUid()).size() == 1);
        for (HostileCases.Case c : cases) assertThat(events.about(c.instance().sopInstanceUid())).as(c.name()).isEmpty();
    }

    @Test
    void whenNothingCouldBeStoredTheAnswerIs409WithTheReasons() {
        given().contentType(Fixtures.STOW_TYPE).body(Fixtures.multipart(List.of(Part.dicom("junk".getBytes()))))
                .when().post("/studies")
                .then().statusCode(409)
                .body("'00081198'.Value[0].'00091001'.Value[0]", org.hamcrest.Matchers.equalTo("NotDicom"));
    }

    @Test
    void anInstanceOfAnotherStudyIsRefusedWhenTheUrlNamesTheStudy() {
        PhantomSet study = Fixtures.study(104);
        SliceTruth slice = study.slices().get(0);

        given().contentType(Fixtures.STOW_TYPE).body(Fixtures.multipart(List.of(Part.dicom(Fixtures.bytes(slice)))))
                .when().post("/studies/1.2.3.4")
                .then().statusCode(409)
                .body("'00081198'.Value[0].'00091001'.Value[0]", org.hamcrest.Matchers.equalTo("WrongStudy"))
                .body("'00081198'.Value[0].'00091002'.Value[0]",
                        org.hamcrest.Matchers.containsString("belongs to study " + slice.studyInstanceUid()));

        given().contentType(Fixtures.STOW_TYPE).body(Fixtures.multipart(List.of(Part.dicom(Fixtures.bytes(slice)))))
                .when().post("/studies/" + slice.studyInstanceUid())
                .then().statusCode(200);
    }

    @Test
    void aWrongContentTypeIs415AndABrokenBodyIs400() {
        given().contentType("application/json").body("{}").when().post("/studies")
                .then().statusCode(415).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("WrongContentType")).body("instance", org.hamcrest.Matchers.equalTo("/studies"))
                .body("detail", org.hamcrest.Matchers.containsString("multipart/related"));
        given().contentType("multipart/related; type=\"image/jpeg\"; boundary=x").body("--x--".getBytes()).when().post("/studies")
                .then().statusCode(415);
        given().contentType(Fixtures.STOW_TYPE).body(("--" + Fixtures.BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\nabc").getBytes())
                .when().post("/studies")
                .then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("MalformedMultipart"))
                .body("detail", org.hamcrest.Matchers.containsString("no closing boundary"));
        given().contentType(Fixtures.STOW_TYPE).body("no boundary in here".getBytes()).when().post("/studies")
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString(Fixtures.BOUNDARY));
    }

    @Test
    void aBodyBeyondTheRequestLimitIsRefusedWith413() {
        // the test profile caps requests at 32 MiB; instances at 4 MiB, so these are 9 oversized parts
        byte[] big = new byte[4 * 1024 * 1024];
        List<Part> parts = java.util.Collections.nCopies(9, Part.dicom(big));

        given().contentType(Fixtures.STOW_TYPE).body(Fixtures.multipart(parts)).when().post("/studies")
                .then().statusCode(413).body("code", org.hamcrest.Matchers.equalTo("RequestTooLarge"));
    }
}

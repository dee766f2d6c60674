package dev.ich.ingest.dimse;

import dev.ich.ingest.Dcmtk;
import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import dev.ich.ingest.HostileCases;
import dev.ich.ingest.IngestedEvents;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.phantom.HostileDicom;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.StoredObject;
import dev.ich.ingest.Dcmtk.Run;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What a C-STORE sender is told, case by case: dcmtk's storescu (its exit code and the status it prints, the
 * Error Comment in its debug dump) and, for payloads storescu will not send, a PixelMed sender.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class DimseStatusTest {
    private static final String MR = "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457";
    private static IngestedEvents events;

    @BeforeAll
    static void listen() {
        events = new IngestedEvents();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    @Test
    void aCtSliceIsAcknowledgedAsSuccessOnceStoredAndAnnounced() {
        SliceTruth slice = Fixtures.study(1301).slices().get(0);

        Run store = Dcmtk.storescu("STORESCU", "ICH", slice.file().toString());

        assertThat(store.exit()).as(store.output()).isZero();
        assertThat(store.output()).contains("Received Store Response (Success)");
        // the answer came after the broker's ack: the object is there, the event on the topic
        assertThat(S3TestResource.store().get(key(slice))).isEqualTo(Fixtures.stored(slice));
        await().atMost(Duration.ofSeconds(20)).until(() -> events.about(slice.sopInstanceUid()).size() == 1);
        assertThat(S3TestResource.store().stat(ObjectKeys.ingestPending(slice.sopInstanceUid()))).isEmpty();
    }

    @Test
    void anIdenticalResendIsSuccessStoresNothingAndAnnouncesUnderTheSameId() {
        SliceTruth slice = Fixtures.study(1302).slices().get(0);
        Run first = Dcmtk.storescu("STORESCU", "ICH", slice.file().toString());
        assertThat(first.exit()).as(first.output()).isZero();
        StoredObject stored = S3TestResource.store().stat(key(slice)).orElseThrow();
        double duplicates = counter("ich_ingest_duplicates_total{source=\"c-store\"}");

        Run again = Dcmtk.storescu("STORESCU", "ICH", slice.file().toString());

        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("Received Store Response (Success)");
        assertThat(counter("ich_ingest_duplicates_total{source=\"c-store\"}")).isEqualTo(duplicates + 1);
        assertThat(S3TestResource.store().stat(key(slice)).orElseThrow().sha256()).isEqualTo(stored.sha256());
        // the resend announces the instance again under its one id (consumers skip the repeat)
        await().atMost(Duration.ofSeconds(20)).until(() -> events.about(slice.sopInstanceUid()).size() == 2);
        assertThat(events.about(slice.sopInstanceUid()).stream().map(e -> e.headers().get(dev.ich.core.event.CloudEvents.ID)).distinct())
                .hasSize(1);
    }

    @Test
    void anMrSliceIsRefusedAsNotAuthorizedWithTheReasonInErrorComment() {
        double refused = counter("ich_ingest_rejections_total{reason=\"ModalityNotAllowed\",source=\"c-store\"}");

        Run store = Dcmtk.run("storescu", "-d", "-aec", "ICH", "127.0.0.1", String.valueOf(DimsePortResource.port),
                Fixtures.PYDICOM.resolve("MR_small.dcm").toString());

        assertThat(store.exit()).as(store.output()).isNotZero();
        assertThat(store.output()).contains("Received Store Response").contains("0x0124")
                .contains("Modality \"MR\" is not accepted; this service takes [CT]");
        assertThat(S3TestResource.store().list(ObjectKeys.RAW_PREFIX + MR)).isEmpty();
        assertThat(counter("ich_ingest_rejections_total{reason=\"ModalityNotAllowed\",source=\"c-store\"}"))
                .isEqualTo(refused + 1);
    }

    @Test
    void aConflictingDuplicateIsRefusedAndTheStoredInstanceKept() throws Exception {
        SliceTruth slice = Fixtures.study(1303).slices().get(0);
        byte[] original = Fixtures.bytes(slice);
        byte[] altered = original.clone();
        altered[altered.length - 1] ^= 0x01; // one pixel differs, the UIDs do not
        Path alteredFile = Files.write(Files.createTempFile("ich-conflict", ".dcm"), altered);
        assertThat(Dcmtk.storescu("STORESCU", "ICH", slice.file().toString()).exit()).isZero();

        Run store = Dcmtk.run("storescu", "-d", "-aec", "ICH", "127.0.0.1", String.valueOf(DimsePortResource.port),
                alteredFile.toString());

        assertThat(store.exit()).as(store.output()).isNotZero();
        assertThat(store.output()).contains("0x0124").contains("SOP Instance UID is already stored with different content");
        assertThat(S3TestResource.store().get(key(slice))).isEqualTo(Fixtures.stored(original));
    }

    @Test
    void aDataSetCutShortIsCannotUnderstand() throws Exception {
        SliceTruth slice = Fixtures.study(1304).slices().get(0);
        byte[] file = Fixtures.bytes(slice);
        String transferSyntax = DicomReader.create().readHeader(file, "slice.dcm").transferSyntaxUid();
        byte[] dataSet = dataSet(file);

        PixelMedScu.Answer answer = PixelMedScu.store(CT_IMAGE_STORAGE, slice.sopInstanceUid(), transferSyntax,
                Arrays.copyOf(dataSet, dataSet.length - 1000));

        assertThat(answer.status() & 0xF000).as(answer.toString()).isEqualTo(0xC000);
        assertThat(answer.errorComment()).startsWith("truncated file");
        assertThat(S3TestResource.store().stat(key(slice))).isEmpty();
    }

    @Test
    void hostileDataSetsAreRefusedWithTheirStatusAndReasonAndNothingIsStoredOrAnnounced() throws Exception {
        for (HostileCases.Case c : HostileCases.all(13_100)) {
            String sop = c.instance().sopInstanceUid();

            PixelMedScu.Answer answer = PixelMedScu.store(CT_IMAGE_STORAGE, sop, c.transferSyntax(), dataSet(c.bytes()));

            assertThat(answer.status()).as(c.name() + ": " + answer).isEqualTo(c.code().dimseStatus());
            assertThat(answer.errorComment()).as(c.name()).isNotBlank().hasSizeLessThanOrEqualTo(64);
            assertThat(S3TestResource.store().list(ObjectKeys.RAW_PREFIX + c.instance().studyInstanceUid() + "/")).as(c.name()).isEmpty();
        }
        assertThat(PixelMedScu.store(CT_IMAGE_STORAGE, "2.25.1", HostileDicom.DEFLATED,
                dataSet(HostileDicom.deflatedPixelBomb(13_200, 1024).bytes())).errorComment()).startsWith("the deflated data set inflates beyond");
        assertThat(PixelMedScu.store(CT_IMAGE_STORAGE, "2.25.2", HostileDicom.EXPLICIT_VR_LITTLE_ENDIAN,
                dataSet(HostileDicom.nestedSequences(13_201, 10_000, HostileDicom.Nesting.EXPLICIT_SQ, false).bytes())).errorComment())
                .startsWith("sequences nested deeper than 64 levels");
        // the receiver is still there, and an ordinary slice after them is stored and announced
        SliceTruth slice = Fixtures.study(1310).slices().get(0);
        assertThat(Dcmtk.storescu("STORESCU", "ICH", slice.file().toString()).exit()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> events.about(slice.sopInstanceUid()).size() == 1);
        for (HostileCases.Case c : HostileCases.all(13_100)) assertThat(events.about(c.instance().sopInstanceUid())).as(c.name()).isEmpty();
    }

    @Test
    void garbageInsteadOfADataSetIsCannotUnderstand() throws Exception {
        byte[] garbage = "this is a note, not a DICOM data set. ".repeat(40).getBytes(StandardCharsets.US_ASCII);

        PixelMedScu.Answer answer = PixelMedScu.store(CT_IMAGE_STORAGE, "1.2.826.0.1.3680043.10.1137.1305",
                "1.2.840.10008.1.2.1", garbage);

        assertThat(answer.status() & 0xF000).as(answer.toString()).isEqualTo(0xC000);
        assertThat(answer.errorComment()).isNotBlank().hasSizeLessThanOrEqualTo(64);
    }

    @Test
    void storageDownIsRefusedOutOfResourcesAndNothingAcknowledged() {
        SliceTruth slice = Fixtures.study(1306).slices().get(0);
        S3TestResource.stopEndpoint();
        Run store;
        try {
            store = Dcmtk.run("storescu", "-d", "-aec", "ICH", "127.0.0.1", String.valueOf(DimsePortResource.port),
                    slice.file().toString());
        } finally {
            S3TestResource.restartEndpoint();
        }

        assertThat(store.exit()).as(store.output()).isNotZero();
        assertThat(store.output()).contains("DIMSE Status                  : 0xa700: Refused: Out of resources")
                .contains("(0000,0902) LO [object storage failed, nothing was stored; send again later]");
        assertThat(S3TestResource.store().stat(key(slice))).isEmpty();
        // the sender retries later, as A700 asks
        Run retry = Dcmtk.storescu("STORESCU", "ICH", slice.file().toString());
        assertThat(retry.output()).as(retry.output()).contains("Received Store Response (Success)");
        assertThat(S3TestResource.store().stat(key(slice))).isPresent();
    }

    @Test
    void kafkaDownIsSuccessOnlyOnceThePendingMarkerIsWritten() {
        SliceTruth slice = Fixtures.study(1307).slices().get(0);
        String marker = ObjectKeys.ingestPending(slice.sopInstanceUid());
        KafkaTestResource.stopBroker();
        try {
            Run store = Dcmtk.storescu("STORESCU", "ICH", slice.file().toString());

            assertThat(store.exit()).as(store.output()).isZero();
            assertThat(store.output()).contains("Received Store Response (Success)");
            // no waiting here: Success was sent only after the marker existed
            assertThat(S3TestResource.store().stat(marker)).isPresent();
            assertThat(S3TestResource.store().stat(key(slice))).isPresent();
        } finally {
            KafkaTestResource.restartBroker();
        }
        try (IngestedEvents after = new IngestedEvents()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> after.about(slice.sopInstanceUid()).size() == 1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> S3TestResource.store().stat(marker).isEmpty());
    }

    @Test
    void aStudyWithOneRefusedInstanceGetsOneStatusPerInstanceAndTheRestIsStored() {
        List<SliceTruth> slices = Fixtures.study(1308).slices();
        List<String> command = new ArrayList<>(List.of("storescu", "-v", "-nh", "-aec", "ICH", "127.0.0.1",
                String.valueOf(DimsePortResource.port)));
        command.add(slices.get(0).file().toString());
        command.add(slices.get(1).file().toString());
        command.add(Fixtures.PYDICOM.resolve("MR_small.dcm").toString());
        command.add(slices.get(2).file().toString());
        command.add(slices.get(3).file().toString());

        Run store = Dcmtk.run(command.toArray(String[]::new));

        assertThat(store.output().split("Received Store Response \\(Success\\)", -1)).as(store.output()).hasSize(5);
        assertThat(store.output()).contains("Received Store Response (Unknown Status: 0x124)");
        for (SliceTruth s : slices) assertThat(S3TestResource.store().stat(key(s))).as(s.sopInstanceUid()).isPresent();
        assertThat(S3TestResource.store().list(ObjectKeys.RAW_PREFIX + MR)).isEmpty();
    }

    @Test
    void aCommandOtherThanCStoreOrCEchoAbortsTheAssociation() throws Exception {
        AttributeList find = new AttributeList();
        put(find, new UnsignedShortAttribute(TagFromName.CommandField), "32"); // 0x0020 C-FIND-RQ
        put(find, new UnsignedShortAttribute(TagFromName.MessageID), "7");
        put(find, new UnsignedShortAttribute(TagFromName.CommandDataSetType), "257"); // 0x0101: none follows
        put(find, new UniqueIdentifierAttribute(TagFromName.AffectedSOPClassUID), CT_IMAGE_STORAGE);

        // an A-ABORT from ich, not a connection that just closes or a wait for the read timeout
        assertThatThrownBy(() -> PixelMedScu.command(CT_IMAGE_STORAGE, "1.2.840.10008.1.2.1", CStoreScp.commandBytes(find)))
                .hasMessageContaining("DicomNetworkException: A-ABORT indication");
    }

    private static void put(AttributeList list, Attribute attribute, String value) throws Exception {
        attribute.addValue(value);
        list.put(attribute);
    }

    @Test
    void aJpegLosslessSliceIsAcceptedInItsTransferSyntax() throws Exception {
        SliceTruth slice = Fixtures.study(1309).slices().get(0);
        Path compressed = Files.createTempFile("ich-jpeg-lossless", ".dcm");
        Run encode = Dcmtk.run("dcmcjpeg", "+e1", slice.file().toString(), compressed.toString());
        assertThat(encode.exit()).as(encode.output()).isZero();

        // -xs: the file's JPEG Lossless first, then the uncompressed ones (storescu cannot decompress)
        Run store = Dcmtk.run("storescu", "-v", "-xs", "-aec", "ICH", "127.0.0.1", String.valueOf(DimsePortResource.port),
                compressed.toString());

        assertThat(store.exit()).as(store.output()).isZero();
        assertThat(store.output()).contains("Received Store Response (Success)");
        byte[] stored = S3TestResource.store().get(key(slice));
        assertThat(DicomReader.create().readHeader(stored, "stored.dcm").transferSyntaxUid())
                .isEqualTo("1.2.840.10008.1.2.4.70");
    }

    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    private static String key(SliceTruth s) {
        return ObjectKeys.raw(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid());
    }

    /** The data set of a Part 10 file: what follows the preamble, "DICM" and the meta group (its length at 140). */
    static byte[] dataSet(byte[] part10) {
        int metaLength = ByteBuffer.wrap(part10, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Arrays.copyOfRange(part10, 144 + metaLength, part10.length);
    }

    /** A Prometheus sample by its full name and labels, 0 when the series does not exist yet. */
    static double counter(String series) {
        return Management.given().get("/q/metrics").asString().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1))).sum();
    }
}

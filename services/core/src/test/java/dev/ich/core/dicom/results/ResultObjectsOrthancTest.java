package dev.ich.core.dicom.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.testing.OrthancPeer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.ich.core.dicom.results.ResultFixture.EQUIPMENT;
import static dev.ich.core.dicom.results.ResultFixture.PREDICTED_AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Given the SR and a capture of a triaged study, when they are sent to a real PACS (Orthanc) over DICOM C-STORE and
 * over DICOMweb STOW-RS, then it stores them in the source's study, and sending them again adds nothing.
 */
class ResultObjectsOrthancTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private List<ResultObject> results;
    private byte[] source;

    @BeforeEach
    void objects() throws Exception {
        OrthancPeer.unavailable().ifPresent(why -> assumeTrue(false, why));
        SourceStudy study = ResultFixture.study();
        source = ResultFixture.source("Müller^Jürgen");
        results = List.of(TriageSr.write(study, ResultFixture.prediction(), EQUIPMENT),
                HeatmapCapture.write(study, ResultFixture.key(2, "subdural", 0.88), ResultFixture.overlay(2), EQUIPMENT, 1, PREDICTED_AT));
    }

    @Test
    void orthancStoresThemOverCStoreInTheSourcesStudyAndASecondSendAddsNothing(@TempDir Path dir) throws Exception {
        assumeTrue(DicomTools.onPath("storescu"), "dcmtk's storescu is not installed (./ich test installs it)");
        List<String> files = new ArrayList<>(List.of(Files.write(dir.resolve("source.dcm"), source).toString()));
        for (ResultObject r : results) files.add(TriageSrTest.write(dir, r).toString());

        try (OrthancPeer orthanc = OrthancPeer.start(Files.createDirectories(dir.resolve("orthanc")))) {
            storescu(orthanc, files);
            String studyId = onlyStudy(orthanc);
            assertThat(seriesModalities(orthanc, studyId)).as(orthanc.log()).containsExactlyInAnyOrder("CT", "SR", "OT");
            for (ResultObject r : results) assertStored(orthanc, r);

            // the export is retried: same UIDs, so the PACS still holds one of each
            storescu(orthanc, files);
            assertThat(JSON.readTree(orthanc.get("/instances").body())).hasSize(3);
        }
    }

    @Test
    void orthancStoresThemOverStowRs(@TempDir Path dir) throws Exception {
        try (OrthancPeer orthanc = OrthancPeer.start(Files.createDirectories(dir.resolve("orthanc")))) {
            String boundary = "ich-results-boundary";
            HttpResponse<String> stored = orthanc.post("/dicom-web/studies",
                    "multipart/related; type=\"application/dicom\"; boundary=" + boundary, multipart(boundary, results));

            assertThat(stored.statusCode()).as(stored.body() + orthanc.log()).isEqualTo(200);
            JsonNode response = JSON.readTree(stored.body());
            // Orthanc always writes Failed SOP Sequence; empty, it means nothing failed
            assertThat(response.path("00081198").path("Value")).as("Failed SOP Sequence in " + stored.body()).isEmpty();
            Set<String> referenced = new TreeSet<>();
            response.path("00081199").path("Value").forEach(item -> referenced.add(item.path("00081155").path("Value").get(0).asText()));
            assertThat(referenced).containsExactlyInAnyOrderElementsOf(results.stream().map(ResultObject::sopInstanceUid).toList());
            for (ResultObject r : results) assertStored(orthanc, r);

            // QIDO-RS, as a DICOMweb viewer would list the study's series
            HttpResponse<String> series = orthanc.get("/dicom-web/studies/" + results.get(0).studyInstanceUid() + "/series");
            Set<String> modalities = new TreeSet<>();
            JSON.readTree(series.body()).forEach(s -> modalities.add(s.path("00080060").path("Value").get(0).asText()));
            assertThat(modalities).containsExactly("OT", "SR");
        }
    }

    private static void storescu(OrthancPeer orthanc, List<String> files) {
        List<String> command = new ArrayList<>(List.of("storescu", "-aet", "ICH", "-aec", OrthancPeer.AE_TITLE,
                "127.0.0.1", Integer.toString(orthanc.dicomPort())));
        command.addAll(files);
        DicomTools.Output out = DicomTools.run(command.toArray(String[]::new));
        assertThat(out.exit()).as(out.text() + orthanc.log()).isZero();
        assertThat(out.lines()).as(out.text()).noneMatch(l -> l.startsWith("E:"));
    }

    /** Orthanc has the object under its UIDs, with the class, study and series we wrote. */
    private static void assertStored(OrthancPeer orthanc, ResultObject r) throws Exception {
        HttpResponse<String> found = orthanc.post("/tools/lookup", "text/plain", r.sopInstanceUid().getBytes(StandardCharsets.US_ASCII));
        JsonNode hits = JSON.readTree(found.body());
        assertThat(hits).as(found.body()).hasSize(1);
        JsonNode tags = JSON.readTree(orthanc.get("/instances/" + hits.get(0).path("ID").asText() + "/simplified-tags").body());
        assertThat(Map.of("SOPClassUID", tags.path("SOPClassUID").asText(), "StudyInstanceUID", tags.path("StudyInstanceUID").asText(),
                "SeriesInstanceUID", tags.path("SeriesInstanceUID").asText(), "PatientName", tags.path("PatientName").asText()))
                .isEqualTo(Map.of("SOPClassUID", r.sopClassUid(), "StudyInstanceUID", r.studyInstanceUid(),
                        "SeriesInstanceUID", r.seriesInstanceUid(), "PatientName", "Müller^Jürgen"));
    }

    private static String onlyStudy(OrthancPeer orthanc) throws Exception {
        JsonNode studies = JSON.readTree(orthanc.get("/studies").body());
        assertThat(studies).as("the results must join the source's study, not open their own").hasSize(1);
        return studies.get(0).asText();
    }

    private static List<String> seriesModalities(OrthancPeer orthanc, String studyId) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode s : JSON.readTree(orthanc.get("/studies/" + studyId + "/series").body())) {
            out.add(s.path("MainDicomTags").path("Modality").asText());
        }
        return out;
    }

    private static byte[] multipart(String boundary, List<ResultObject> objects) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (ResultObject o : objects) {
            body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(o.part10());
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }
}

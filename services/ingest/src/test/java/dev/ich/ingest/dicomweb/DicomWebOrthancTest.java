package dev.ich.ingest.dicomweb;

import dev.ich.ingest.DimsePortResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.ingest.dicomweb.DicomWebFixtures.Sent;
import dev.ich.testkit.Orthanc;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Orthanc's DICOMweb plugin, an independent implementation, as a client of ich: it lists ich's studies by QIDO-RS
 * and pulls one by WADO-RS into its own store, where every instance arrives byte for byte.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class DicomWebOrthancTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI ich;

    @Test
    void orthancQueriesIchAndRetrievesAStudyIntoItsOwnStore() throws Exception {
        assumeTrue(Orthanc.available(), "Orthanc is not installed here (apt-get install orthanc orthanc-dicomweb; ./ich test"
                + " installs both): the Orthanc DICOMweb client test is skipped");
        DicomWebFixtures.awaitIndex();
        Sent s = DicomWebFixtures.stow(9301, Map.of("StudyDate", "20240601", "StudyTime", "090000"));

        Map<String, Object> server = Map.of("Url", ich.toString(),
                "HttpHeaders", Map.of("Authorization", "Bearer " + OidcTestResource.token("ich-clinician")));
        try (Orthanc orthanc = Orthanc.start(Map.of("DicomWeb", Map.of("Enable", true, "Servers", Map.of("ich", server))))) {
            JsonNode studies = JSON.readTree(orthanc.post("/dicom-web/servers/ich/qido", JSON.writeValueAsString(
                    Map.of("Uri", "/studies", "Arguments", Map.of("StudyInstanceUID", s.study())))));
            // Orthanc re-expresses the answer it parsed as {"Name", "vr", "Value" as text} per tag
            assertThat(studies).as(studies.toString()).hasSize(1);
            assertThat(studies.get(0).path("0020000D").path("Value").asText()).as(studies.toString()).isEqualTo(s.study());
            assertThat(studies.get(0).path("00100020").path("Value").asText()).isEqualTo(s.stored("00100020"));
            assertThat(studies.get(0).path("00080020").path("Value").asText()).isEqualTo(s.stored("00080020"));

            JsonNode instances = JSON.readTree(orthanc.post("/dicom-web/servers/ich/qido", JSON.writeValueAsString(
                    Map.of("Uri", "/studies/" + s.study() + "/series/" + s.series() + "/instances"))));
            assertThat(instances).hasSize(4);

            orthanc.post("/dicom-web/servers/ich/retrieve", JSON.writeValueAsString(
                    Map.of("Resources", List.of(Map.of("Study", s.study())))));

            List<String> received = new ArrayList<>();
            for (JsonNode id : JSON.readTree(orthanc.get("/instances"))) {
                JsonNode tags = JSON.readTree(orthanc.get("/instances/" + id.asText() + "/simplified-tags"));
                if (!s.study().equals(tags.path("StudyInstanceUID").asText())) continue;
                String sop = tags.path("SOPInstanceUID").asText();
                received.add(sop);
                byte[] file = rawGet(URI.create(orthanc.httpUrl() + "/instances/" + id.asText() + "/file"));
                assertThat(file).as("Orthanc's copy of %s", sop)
                        .isEqualTo(S3TestResource.store().get(ObjectKeys.raw(s.study(), s.series(), sop)));
            }
            assertThat(received).containsExactlyInAnyOrder(s.sop(0), s.sop(1), s.sop(2), s.sop(3));
        }
    }

    private static byte[] rawGet(URI uri) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}

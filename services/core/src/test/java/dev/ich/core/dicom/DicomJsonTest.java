package dev.ich.core.dicom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static dev.ich.core.testing.Tools.pydicomFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pydicom's real CT in the PS3.18 Annex F model: each VR the way the standard writes it. */
class DicomJsonTest {

    @Test
    void aRealCtBecomesTheDicomJsonModel() throws Exception {
        DicomJson.Instance ct = DicomJson.read(Files.readAllBytes(pydicomFile("CT_small.dcm")), false);
        ObjectNode d = ct.dataset();

        assertThat(ct.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(d.get("00080018").toString()).isEqualTo("{\"vr\":\"UI\",\"Value\":[\"1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322\"]}");
        assertThat(d.get("00080008").get("Value")).extracting(JsonNode::asText).containsExactly("ORIGINAL", "PRIMARY", "AXIAL");
        assertThat(d.get("00100010").toString()).isEqualTo("{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"CompressedSamples^CT1\"}]}");
        assertThat(d.get("00080020").toString()).isEqualTo("{\"vr\":\"DA\",\"Value\":[\"20040119\"]}");
        // empty elements have a VR and no Value
        assertThat(d.get("00080050").toString()).isEqualTo("{\"vr\":\"SH\"}");
        assertThat(d.get("00080090").toString()).isEqualTo("{\"vr\":\"PN\"}");
        // numbers are JSON numbers: US, IS, DS, SL
        assertThat(d.get("00280010").get("Value").get(0).isIntegralNumber()).isTrue();
        assertThat(d.get("00280010").get("Value").get(0).asInt()).isEqualTo(128);
        assertThat(d.get("00200013").get("Value").get(0).isNumber()).isTrue();
        assertThat(d.get("00280030").get("Value")).allMatch(JsonNode::isNumber).hasSize(2);
        assertThat(d.get("00091027").get("Value").get(0).asLong()).isEqualTo(862399669L);
        // sequences are arrays of data sets
        assertThat(d.get("00101002").get("vr").asText()).isEqualTo("SQ");
        assertThat(d.get("00101002").get("Value").get(0).get("00100020").get("Value").get(0).asText()).isEqualTo("ABCD1234");
        // no file meta information, no pixel data
        assertThat(d.fieldNames()).toIterable().noneMatch(t -> t.startsWith("0002")).doesNotContain("7FE00010");
        d.fields().forEachRemaining(f -> assertThat(f.getKey()).matches("[0-9A-F]{8}"));
    }

    @Test
    void theHeaderAloneHasTheSameAttributes() throws Exception {
        byte[] bytes = Files.readAllBytes(pydicomFile("CT_small.dcm"));
        boolean same = DicomJson.read(bytes, true).dataset().equals(DicomJson.read(bytes, false).dataset());
        assertThat(same).as("header-only and full read give the same attributes").isTrue();
    }

    @Test
    void somethingThatIsNotDicomIsATypedFailure() {
        assertThatThrownBy(() -> DicomJson.read("hello, not dicom".getBytes(), false)).isInstanceOf(DicomReadException.class);
    }
}

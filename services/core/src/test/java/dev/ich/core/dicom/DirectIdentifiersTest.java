package dev.ich.core.dicom;

import org.junit.jupiter.api.Test;

import static dev.ich.core.testing.Tools.pydicomFile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * pydicom's real CT still names its patient, institution and people: the metadata row of that file has none of
 * them (whatever ingest stored, a row never names a patient), and keeps what the pipeline and exploration need.
 */
class DirectIdentifiersTest {
    @Test
    void aHeaderRowCarriesNoDirectIdentifierEvenWhenTheFileDoes() throws Exception {
        DicomSlice ct = DicomReader.create().read(pydicomFile("CT_small.dcm"));
        assertThat(com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(readList(), com.pixelmed.dicom.TagFromName.PatientName))
                .as("the file itself names a patient").isNotEmpty();
        assertThat(ct.header().row().keySet()).doesNotContainAnyElementsOf(DirectIdentifiers.KEYWORDS)
                .contains("PatientID", "SOPInstanceUID", "RescaleSlope", "RescaleIntercept", "BitsStored", "Modality");
    }

    private static com.pixelmed.dicom.AttributeList readList() throws Exception {
        com.pixelmed.dicom.AttributeList list = new com.pixelmed.dicom.AttributeList();
        list.read(pydicomFile("CT_small.dcm").toString());
        return list;
    }
}

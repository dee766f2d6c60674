package dev.ich.core.dicom.results;

/** A coded concept: value, coding scheme designator, meaning (PS3.3 8.8, Code Sequence macro). */
record Code(String value, String scheme, String meaning) {
    DataSet item() {
        return new DataSet().put("CodeValue", value).put("CodingSchemeDesignator", scheme).put("CodeMeaning", meaning);
    }
}

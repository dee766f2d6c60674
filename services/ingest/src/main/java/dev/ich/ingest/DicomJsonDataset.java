package dev.ich.ingest;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The OpenAPI name of one data set in the DICOM JSON model (PS3.18 F.2), the body of QIDO-RS, WADO-RS metadata and
 * STOW-RS answers. ich builds those bodies as Jackson trees, so no Java type of theirs could carry the schema.
 */
@Schema(name = "DicomJsonDataset", type = SchemaType.OBJECT, description = "one data set in the DICOM JSON model (PS3.18 F.2):"
        + " each key a tag as 8 hex digits (\"0020000D\"), each value an object with \"vr\" and, when it has one, \"Value\","
        + " \"BulkDataURI\" or \"InlineBinary\"")
public final class DicomJsonDataset {
    private DicomJsonDataset() {
    }
}

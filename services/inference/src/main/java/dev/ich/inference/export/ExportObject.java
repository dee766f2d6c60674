package dev.ich.inference.export;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import java.io.ByteArrayInputStream;

/** One result object read from the bucket, with what a sender needs to offer and send it. */
record ExportObject(OutboxRecord record, byte[] bytes, AttributeList attributes, String sopClassUid, String sopInstanceUid,
                    String transferSyntaxUid) {

    /** Reads the Part 10 bytes; IllegalArgumentException with the reason when they are not a storable DICOM object. */
    static ExportObject read(OutboxRecord record, byte[] bytes) {
        AttributeList list = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            list.read(in);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a readable DICOM object: " + e.getMessage(), e);
        }
        String sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID);
        String sop = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
        String ts = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
        if (sopClass.isEmpty() || sop.isEmpty()) throw new IllegalArgumentException("the object has no SOP Class or SOP Instance UID");
        if (ts.isEmpty()) throw new IllegalArgumentException("the object has no file meta information (Transfer Syntax UID)");
        return new ExportObject(record, bytes, list, sopClass, sop, ts);
    }
}

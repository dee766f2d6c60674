package dev.ich.core.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * {@link DicomRewriter} on PixelMed: read the whole list, edit it, write it in the same transfer syntax.
 * Deterministic: the same input and edit give the same bytes (ingest's duplicate check relies on it).
 */
final class PixelMedRewriter implements DicomRewriter {
    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
    private static final String SOURCE_AE = "ICH";

    /** One change to a whole attribute list, applied between reading and writing. */
    private interface ListEdit {
        void apply(AttributeList list) throws DicomException;
    }

    @Override
    public byte[] rewrite(byte[] part10, DicomEdit edit) throws DicomReadException {
        return rewrite(part10, list -> apply(list, edit));
    }

    @Override
    public byte[] deidentify(byte[] part10, Deidentification deidentification) throws DicomReadException {
        return rewrite(part10, list -> PixelMedDeidentifier.apply(list, deidentification));
    }

    private static byte[] rewrite(byte[] part10, ListEdit edit) throws DicomReadException {
        DataSetFraming framing = DataSetFraming.detect(part10);
        AttributeList list = new AttributeList();
        // Copy compressed pixel data as it came (PixelMed would otherwise decode it on read, and fail
        // where it has no codec, e.g. JPEG 2000): the rewrite touches attributes, never pixels.
        list.setDecompressPixelData(false);
        PixelMedLog.start();
        try (DicomInputStream in = framing.part10()
                ? new DicomInputStream(new ByteArrayInputStream(part10))
                : new DicomInputStream(new ByteArrayInputStream(part10), framing.assumedTransferSyntax(), false)) {
            list.read(in);
            String ts = framing.part10()
                    ? Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID)
                    : framing.assumedTransferSyntax();
            edit.apply(list);
            // The old meta header names the old file (and its implementation); write a fresh one.
            list.removeGroupLengthAttributes();
            list.removeMetaInformationHeaderAttributes();
            FileMetaInformation.addFileMetaInformation(list, ts, SOURCE_AE);
            ByteArrayOutputStream out = new ByteArrayOutputStream(part10.length + 256);
            list.write(out, ts, true, true);
            return out.toByteArray();
        } catch (DicomException | IOException | RuntimeException e) {
            throw new DicomReadException(DicomProblem.NotDicom, "cannot rewrite the instance: " + e.getMessage(), e);
        } finally {
            PixelMedLog.stop();
        }
    }

    private static void apply(AttributeList list, DicomEdit edit) throws DicomException {
        if (edit.removePrivate()) list.removePrivateAttributes();
        for (String keyword : edit.remove()) list.remove(tag(keyword));
        for (String keyword : edit.blank()) {
            AttributeTag tag = tag(keyword);
            if (list.get(tag) != null) list.put(AttributeFactory.newAttribute(tag));
        }
        replace(list, edit.replace());
    }

    /** Sets each keyword's attribute to its value, adding it where absent (the de-identifier uses it too). */
    static void replace(AttributeList list, Map<String, String> values) throws DicomException {
        for (Map.Entry<String, String> e : values.entrySet()) {
            Attribute a = AttributeFactory.newAttribute(tag(e.getKey()));
            a.addValue(e.getValue());
            list.put(a);
        }
    }

    static AttributeTag tag(String keyword) {
        AttributeTag tag = DICTIONARY.getTagFromName(keyword);
        if (tag == null) throw new IllegalArgumentException("unknown DICOM keyword " + keyword);
        return tag;
    }
}

package dev.ich.core.dicom.results;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A data set (or sequence item) being written, by keyword. Every text value is encoded as UTF-8 whatever the
 * platform's default charset, so the bytes are the same on every machine; an object whose texts are all ASCII
 * carries no Specific Character Set (the default repertoire, which every PACS reads), one with any other
 * character says ISO_IR 192.
 */
final class DataSet {
    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
    private static final SpecificCharacterSet UTF_8 = new SpecificCharacterSet(new String[]{"ISO_IR 192"});
    private static final String SOURCE_AE = "ICH";

    private final AttributeList list = new AttributeList();
    /** Whether a text here, or in an item nested here, is not ASCII; items are complete when they are added. */
    private boolean nonAscii;

    AttributeList list() {
        return list;
    }

    /** Sets a text, number-as-text or UID attribute; no values writes it present and empty (type 2). */
    DataSet put(String keyword, String... values) {
        try {
            AttributeTag tag = tag(keyword);
            Attribute a = AttributeFactory.newAttribute(tag, DICTIONARY.getValueRepresentationFromTag(tag), UTF_8);
            for (String v : values) {
                a.addValue(v);
                nonAscii |= !v.chars().allMatch(c -> c < 0x80);
            }
            list.put(a);
            return this;
        } catch (DicomException e) {
            throw new IllegalArgumentException(keyword + ": " + e.getMessage(), e);
        }
    }

    DataSet put(String keyword, int value) {
        return put(keyword, Integer.toString(value));
    }

    /** Sets a binary-valued attribute (US, FD, OB...) from its typed value. */
    DataSet putBinary(String keyword, Object value) {
        try {
            AttributeTag tag = tag(keyword);
            // Pixel data of 8-bit samples is OB, whatever the dictionary's "OB or OW" says.
            Attribute a = value instanceof byte[] ? new OtherByteAttribute(tag)
                    : AttributeFactory.newAttribute(tag, DICTIONARY.getValueRepresentationFromTag(tag));
            if (value instanceof Integer i) a.addValue(i);
            else if (value instanceof Double d) a.addValue(d);
            else if (value instanceof byte[] b) a.setValues(b);
            else throw new IllegalArgumentException("unsupported value type " + value.getClass());
            list.put(a);
            return this;
        } catch (DicomException e) {
            throw new IllegalArgumentException(keyword + ": " + e.getMessage(), e);
        }
    }

    /** A sequence of the given items; none writes it present and empty (type 2). */
    DataSet sequence(String keyword, Iterable<DataSet> items) {
        SequenceAttribute s = (SequenceAttribute) list.get(tag(keyword));
        if (s == null) {
            s = new SequenceAttribute(tag(keyword));
            list.put(s);
        }
        for (DataSet item : items) {
            s.addItem(item.list);
            nonAscii |= item.nonAscii;
        }
        return this;
    }

    DataSet sequence(String keyword, DataSet... items) {
        return sequence(keyword, java.util.Arrays.asList(items));
    }

    /** A code sequence of one code. */
    DataSet code(String keyword, Code code) {
        return sequence(keyword, code.item());
    }

    /** The Part 10 file: file meta information, then the data set in explicit VR little endian. */
    byte[] part10() {
        try {
            declareCharacterSet();
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE);
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
            return out.toByteArray();
        } catch (DicomException e) {
            throw new IllegalStateException("cannot encode the result object: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void declareCharacterSet() {
        if (nonAscii) put("SpecificCharacterSet", "ISO_IR 192");
        else list.remove(TagFromName.SpecificCharacterSet);
    }

    static AttributeTag tag(String keyword) {
        AttributeTag tag = DICTIONARY.getTagFromName(keyword);
        if (tag == null) throw new IllegalArgumentException("unknown DICOM keyword " + keyword);
        return tag;
    }
}

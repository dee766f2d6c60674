package dev.ich.core.dicom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An instance's data set in the DICOM JSON model (PS3.18 Annex F): {@code {"0020000D": {"vr": "UI", "Value": [...]}}},
 * what DICOMweb answers for metadata and searches. Strings, numbers (IS, DS and the binary numbers as JSON numbers),
 * person names as {@code {"Alphabetic": ...}} objects, sequences as arrays of items, other binary values as
 * {@code InlineBinary}. The file meta information (group 0002) is not part of the data set, and the pixel data
 * elements (and trailing padding) are left out: they are the bulk of the object and WADO-RS serves them with the
 * instance.
 */
public final class DicomJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<AttributeTag> BULK = Set.of(TagFromName.PixelData, new AttributeTag(0x7FE0, 0x0008),
            new AttributeTag(0x7FE0, 0x0009), new AttributeTag(0xFFFC, 0xFFFC));

    /** The data set as DICOM JSON, and the transfer syntax it is stored in (null for a bare data set). */
    public record Instance(ObjectNode dataset, String transferSyntaxUid) {
    }

    private DicomJson() {
    }

    /**
     * Reads {@code bytes} (Part 10, or a bare data set); {@code headerOnly} stops before the pixel data, which is
     * all an index needs and spares reading the bulk.
     */
    public static Instance read(byte[] bytes, boolean headerOnly) throws DicomReadException {
        DataSetFraming framing = DataSetFraming.detect(bytes);
        AttributeList list = new AttributeList();
        List<String> errors = PixelMedLog.start();
        try (DicomInputStream in = framing.part10()
                ? new DicomInputStream(new ByteArrayInputStream(bytes))
                : new DicomInputStream(new ByteArrayInputStream(bytes), framing.assumedTransferSyntax(), false)) {
            if (headerOnly) list.read(in, TagFromName.PixelData);
            else list.read(in);
        } catch (DicomException | IOException | RuntimeException e) {
            throw new DicomReadException(DicomProblem.NotDicom, "not readable as DICOM: " + e.getMessage(), e);
        } finally {
            PixelMedLog.stop();
        }
        if (list.isEmpty() || !errors.isEmpty() && list.get(TagFromName.SOPInstanceUID) == null) {
            throw new DicomReadException(DicomProblem.Truncated, "truncated: " + (errors.isEmpty() ? "nothing read" : errors.get(0)));
        }
        String ts = framing.part10() ? Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID)
                : framing.assumedTransferSyntax();
        return new Instance(dataset(list), ts);
    }

    private static ObjectNode dataset(AttributeList list) throws DicomReadException {
        ObjectNode out = NODES.objectNode();
        for (Attribute a : list.values()) {
            AttributeTag tag = a.getTag();
            if (tag.getGroup() == 0x0002 || BULK.contains(tag)) continue;
            out.set(String.format(Locale.ROOT, "%04X%04X", tag.getGroup(), tag.getElement()), element(a));
        }
        return out;
    }

    private static ObjectNode element(Attribute a) throws DicomReadException {
        byte[] vr = a.getVR();
        ObjectNode e = NODES.objectNode();
        e.put("vr", ValueRepresentation.getAsString(vr));
        try {
            if (a instanceof SequenceAttribute sq) {
                if (sq.getNumberOfItems() == 0) return e;
                ArrayNode items = e.putArray("Value");
                for (int i = 0; i < sq.getNumberOfItems(); i++) {
                    SequenceItem item = sq.getItem(i);
                    items.add(dataset(item.getAttributeList()));
                }
                return e;
            }
            if (a.getVL() == 0 || a.getVM() == 0) return e;
            if (ValueRepresentation.isBase64EncodedInJSON(vr)) {
                e.put("InlineBinary", Base64.getEncoder().encodeToString(a.getByteValues(false)));
                return e;
            }
            ArrayNode values = e.putArray("Value");
            if (a instanceof AttributeTagAttribute at) {
                for (AttributeTag t : at.getAttributeTagValues()) {
                    values.add(String.format(Locale.ROOT, "%04X%04X", t.getGroup(), t.getElement()));
                }
            } else if (ValueRepresentation.isPersonNameVR(vr)) {
                for (String v : a.getStringValues()) values.add(personName(v));
            } else if (ValueRepresentation.isIntegerStringVR(vr) || ValueRepresentation.isDecimalStringVR(vr)) {
                for (String v : a.getOriginalStringValues()) values.add(number(v));
            } else if (ValueRepresentation.isNumberInJSON(vr) && ValueRepresentation.isDecimalNumberInJSON(vr)) {
                for (double v : a.getDoubleValues()) values.add(v);
            } else if (ValueRepresentation.isNumberInJSON(vr)) {
                for (long v : a.getLongValues()) values.add(v);
            } else {
                for (String v : a.getStringValues()) values.add(v == null || v.isEmpty() ? null : v);
            }
            return e;
        } catch (DicomException ex) {
            throw new DicomReadException(DicomProblem.NotDicom, "cannot read " + a.getTag() + " as "
                    + ValueRepresentation.getAsString(vr) + ": " + ex.getMessage(), ex);
        }
    }

    /** {@code Family^Given=Ideographic=Phonetic} as the model's object; an empty name is JSON null. */
    private static ObjectNode personName(String value) {
        if (value == null || value.isBlank()) return null;
        String[] groups = value.split("=", -1);
        ObjectNode pn = NODES.objectNode();
        String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
        for (int i = 0; i < Math.min(groups.length, names.length); i++) {
            if (!groups[i].isEmpty()) pn.put(names[i], groups[i]);
        }
        return pn;
    }

    /** IS and DS are JSON numbers; a value that is not a number after all is kept as its text, not lost. */
    private static com.fasterxml.jackson.databind.JsonNode number(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) return NODES.nullNode();
        try {
            BigDecimal d = new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
            return d.scale() <= 0 && d.precision() - d.scale() < 19 ? NODES.numberNode(d.longValueExact()) : NODES.numberNode(d);
        } catch (NumberFormatException | ArithmeticException e) {
            return NODES.textNode(t);
        }
    }
}

package dev.ich.core.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flattens a PixelMed attribute list into the notebooks' row (docs/reference-experiment.md, cleaning step 1). Left out,
 * as pydicom's data set leaves them out or a flat row cannot hold them: file meta information
 * (group 0002), PixelData, private and unknown elements (no keyword), sequences and binary values;
 * and, unlike the notebooks, {@link DirectIdentifiers}: a row must never name a patient.
 */
final class HeaderRows {
    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;

    private HeaderRows() {
    }

    static Map<String, Object> of(AttributeList list, String fname) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Attribute a : list.values()) {
            AttributeTag tag = a.getTag();
            if (tag.getGroup() == 0x0002 || tag.equals(TagFromName.PixelData) || tag.isPrivate()) continue;
            byte[] vr = a.getVR();
            if (isSkippedVr(vr)) continue;
            String keyword = DICTIONARY.getNameFromTag(tag);
            if (keyword == null || keyword.isEmpty() || DirectIdentifiers.KEYWORDS.contains(keyword)) continue;
            put(row, keyword, values(a, vr));
        }
        row.put("fname", fname);
        return row;
    }

    private static void put(Map<String, Object> row, String keyword, Object[] values) {
        if (values.length == 0) {
            row.put(keyword, null);
            return;
        }
        row.put(keyword, values[0]);
        if (values.length > 1) {
            for (int i = 1; i < values.length; i++) row.put(keyword + i, values[i]);
            row.put("Multi" + keyword, 1);
        }
    }

    private static boolean isSkippedVr(byte[] vr) {
        return ValueRepresentation.isSequenceVR(vr) || ValueRepresentation.isOtherByteVR(vr)
                || ValueRepresentation.isOtherWordVR(vr) || ValueRepresentation.isOtherByteOrWordVR(vr)
                || ValueRepresentation.isOtherFloatVR(vr) || ValueRepresentation.isOtherDoubleVR(vr)
                || ValueRepresentation.isOtherLongVR(vr) || ValueRepresentation.isUnknownVR(vr)
                || ValueRepresentation.isOtherUnspecifiedVR(vr);
    }

    /** Values with their natural Java type: Double for decimals and floats, Long for integers. */
    private static Object[] values(Attribute a, byte[] vr) {
        try {
            if (a.getVM() == 0) return new Object[0];
            if (ValueRepresentation.isDecimalStringVR(vr) || ValueRepresentation.isFloatSingleVR(vr)
                    || ValueRepresentation.isFloatDoubleVR(vr)) {
                double[] d = a.getDoubleValues();
                Object[] out = new Object[d.length];
                for (int i = 0; i < d.length; i++) out[i] = d[i];
                return out;
            }
            if (ValueRepresentation.isIntegerStringVR(vr) || ValueRepresentation.isUnsignedShortVR(vr)
                    || ValueRepresentation.isSignedShortVR(vr) || ValueRepresentation.isUnsignedLongVR(vr)
                    || ValueRepresentation.isSignedLongVR(vr)) {
                long[] l = a.getLongValues();
                Object[] out = new Object[l.length];
                for (int i = 0; i < l.length; i++) out[i] = l[i];
                return out;
            }
            return strings(a);
        } catch (DicomException | NumberFormatException e) {
            // A malformed number (real headers have them) stays as its text rather than failing the slice.
            return strings(a);
        }
    }

    private static Object[] strings(Attribute a) {
        try {
            String[] s = a.getStringValues();
            if (s == null) return new Object[0];
            Object[] out = new Object[s.length];
            for (int i = 0; i < s.length; i++) {
                String v = s[i] == null ? "" : s[i].strip();
                out[i] = v.isEmpty() ? null : v;
            }
            if (out.length == 1 && out[0] == null) return new Object[0];
            return out;
        } catch (DicomException e) {
            return new Object[0];
        }
    }
}

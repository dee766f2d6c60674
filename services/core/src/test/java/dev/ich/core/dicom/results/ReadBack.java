package dev.ich.core.dicom.results;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a written object back with PixelMed's own parser, as a PACS-side reader of these objects would. */
final class ReadBack {
    private final AttributeList list = new AttributeList();

    ReadBack(byte[] part10) throws Exception {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            list.read(in);
        }
    }

    String text(String keyword) {
        return Attribute.getDelimitedStringValuesOrEmptyString(list, tag(keyword));
    }

    boolean has(String keyword) {
        return list.get(tag(keyword)) != null;
    }

    /** A text attribute of the first item of a sequence. */
    String inFirstItem(String sequence, String keyword) {
        return SequenceAttribute.getSingleStringValueOfNamedAttributeFromWithinSequenceWithSingleItemOrEmptyString(
                list, tag(sequence), tag(keyword));
    }

    AttributeList list() {
        return list;
    }

    /** The report's finding groups by Tracking Identifier (the label), each as what it says. */
    Map<String, Group> groups() throws Exception {
        ContentItem root = (ContentItem) new StructuredReport(list).getRoot();
        ContentItem measurements = child(root, "126010");
        Map<String, Group> out = new LinkedHashMap<>();
        for (int i = 0; i < measurements.getChildCount(); i++) {
            ContentItem g = (ContentItem) measurements.getChildAt(i);
            String tracking = child(g, "112039").getConceptValue().strip(); // TEXT values are space-padded to even length
            var finding = ((ContentItemFactory.CodeContentItem) child(g, "121071")).getConceptCode();
            var probability = (ContentItemFactory.NumericContentItem) child(g, "122157");
            var threshold = (ContentItemFactory.NumericContentItem) child(g, "122411");
            var call = (ContentItemFactory.CodeContentItem) child(g, finding.getCodeValue());
            ContentItem source = probability.getChildCount() == 0 ? null : childOrNull(probability, "121112");
            out.put(tracking, new Group(finding.getCodeValue(), finding.getCodingSchemeDesignator(),
                    probability.getFloatingPointValue(), probability.getNumericValue(), threshold.getFloatingPointValue(),
                    call.getConceptCode().getCodeValue(), source == null ? null : source.getReferencedSOPInstanceUID()));
        }
        return out;
    }

    /** The Image Library's entries, by SOP Instance UID. */
    List<String> imageLibrary() throws Exception {
        ContentItem group = child(child((ContentItem) new StructuredReport(list).getRoot(), "111028"), "126200");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < group.getChildCount(); i++) out.add(((ContentItem) group.getChildAt(i)).getReferencedSOPInstanceUID());
        return out;
    }

    record Group(String findingCode, String findingScheme, double probability, String probabilityText, double threshold,
                 String call, String keySlice) {
    }

    static ContentItem child(ContentItem parent, String conceptCodeValue) {
        ContentItem c = childOrNull(parent, conceptCodeValue);
        if (c == null) throw new AssertionError("no child with concept " + conceptCodeValue + " under " + parent);
        return c;
    }

    private static ContentItem childOrNull(ContentItem parent, String conceptCodeValue) {
        for (int i = 0; i < parent.getChildCount(); i++) {
            ContentItem c = (ContentItem) parent.getChildAt(i);
            if (conceptCodeValue.equals(c.getConceptNameCodeValue())) return c;
        }
        return null;
    }

    static AttributeTag tag(String keyword) {
        AttributeTag t = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (t == null) throw new IllegalArgumentException(keyword);
        return t;
    }
}

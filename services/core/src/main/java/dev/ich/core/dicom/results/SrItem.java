package dev.ich.core.dicom.results;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * One SR content item (PS3.3 C.17.3) and its children, built top-down; {@link #dataSet()} nests the children in
 * Content Sequence. Written here rather than with PixelMed's content item factory so every text is encoded the
 * way {@link DataSet} encodes it and nothing we did not ask for (observation times) appears.
 */
final class SrItem {
    static final String CONTAINS = "CONTAINS";
    static final String HAS_OBS_CONTEXT = "HAS OBS CONTEXT";
    static final String HAS_CONCEPT_MOD = "HAS CONCEPT MOD";
    static final String INFERRED_FROM = "INFERRED FROM";

    private final DataSet item;
    private final List<SrItem> children = new ArrayList<>();

    private SrItem(String relationship, String valueType, Code concept) {
        item = new DataSet();
        if (relationship != null) item.put("RelationshipType", relationship);
        item.put("ValueType", valueType);
        if (concept != null) item.code("ConceptNameCodeSequence", concept);
    }

    /** The document root: a CONTAINER with separate items, naming the template its content follows. */
    static SrItem root(Code title, String templateId) {
        SrItem root = new SrItem(null, "CONTAINER", title);
        root.item.put("ContinuityOfContent", "SEPARATE");
        root.template(templateId);
        return root;
    }

    /** Names the DCMR template a CONTAINER's content follows, as a container that starts a template must. */
    SrItem template(String templateId) {
        item.sequence("ContentTemplateSequence", new DataSet().put("MappingResource", "DCMR").put("TemplateIdentifier", templateId));
        return this;
    }

    /** The root's own attributes (with the whole tree), to be completed into the document's data set. */
    DataSet dataSet() {
        if (!children.isEmpty()) item.sequence("ContentSequence", children.stream().map(SrItem::dataSet).toList());
        return item;
    }

    SrItem container(String relationship, Code concept) {
        SrItem c = add(new SrItem(relationship, "CONTAINER", concept));
        c.item.put("ContinuityOfContent", "SEPARATE");
        return c;
    }

    SrItem code(String relationship, Code concept, Code value) {
        SrItem c = add(new SrItem(relationship, "CODE", concept));
        c.item.code("ConceptCodeSequence", value);
        return c;
    }

    SrItem text(String relationship, Code concept, String value) {
        SrItem c = add(new SrItem(relationship, "TEXT", concept));
        c.item.put("TextValue", value);
        return c;
    }

    SrItem uidref(String relationship, Code concept, String uid) {
        SrItem c = add(new SrItem(relationship, "UIDREF", concept));
        c.item.put("UID", uid);
        return c;
    }

    /**
     * A NUM: the value as a decimal string (at most 16 characters, as DS allows) and, because that string may be
     * rounded, the exact double too (Floating Point Value), so a reader gets back what inference computed.
     */
    SrItem num(String relationship, Code concept, double value, Code unit) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException(concept.meaning() + " is " + value + ": not a number");
        SrItem c = add(new SrItem(relationship, "NUM", concept));
        DataSet measured = new DataSet().code("MeasurementUnitsCodeSequence", unit)
                .put("NumericValue", decimalString(value)).putBinary("FloatingPointValue", value);
        c.item.sequence("MeasuredValueSequence", measured);
        return c;
    }

    /** An IMAGE reference; a null concept makes an unnamed item, as Image Library entries are. */
    SrItem image(String relationship, Code concept, String sopClassUid, String sopInstanceUid) {
        SrItem c = add(new SrItem(relationship, "IMAGE", concept));
        c.item.sequence("ReferencedSOPSequence", new DataSet()
                .put("ReferencedSOPClassUID", sopClassUid).put("ReferencedSOPInstanceUID", sopInstanceUid));
        return c;
    }

    private SrItem add(SrItem child) {
        children.add(child);
        return child;
    }

    /** The shortest rounding of the value to at most 16 significant digits that fits in 16 characters. */
    static String decimalString(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int digits = 16; digits > 0; digits--) {
            String s = exact.round(new MathContext(digits)).stripTrailingZeros().toString();
            if (s.length() <= 16) return s;
        }
        throw new IllegalArgumentException(value + " cannot be written as a decimal string");
    }
}

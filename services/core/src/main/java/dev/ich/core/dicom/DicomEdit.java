package dev.ich.core.dicom;

import java.util.Map;
import java.util.Set;

/**
 * Changes to a data set, named by DICOM keyword (e.g. "PatientName") so callers need no toolkit
 * types. Applied in this order: remove, blank (kept but emptied: for type 2 attributes, which must be
 * present), replace (set to a value, created when absent). {@code removePrivate} drops every private
 * attribute, which may hold anything, identifiers included.
 */
public record DicomEdit(Set<String> remove, Set<String> blank, Map<String, String> replace, boolean removePrivate) {
    public DicomEdit {
        remove = Set.copyOf(remove);
        blank = Set.copyOf(blank);
        replace = Map.copyOf(replace);
    }
}

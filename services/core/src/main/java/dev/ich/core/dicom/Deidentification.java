package dev.ich.core.dicom;

import java.util.Map;

/**
 * What a de-identified copy of an instance keeps, after the DICOM PS3.15 Basic Application Level
 * Confidentiality Profile (Annex E, Table E.1-1), which every de-identification applies: identifying
 * attributes are removed, emptied or replaced wherever they occur (inside sequences too), every
 * private attribute is removed, and UIDs are always retained (Retain UIDs Option) because ich's keys,
 * events and labels join on SOP Instance UID.
 *
 * @param dates                      what happens to dates and times (Patient Birth Date is always removed)
 * @param dateShiftDays              with {@link Dates#SHIFT}: every date and date-time moves this many whole days
 *                                   into the past (whole days, so times of day and intervals survive)
 * @param keepPatientCharacteristics Retain Patient Characteristics Option: age, sex, size, weight kept
 * @param replace                    attributes set after the profile ran, by DICOM keyword (e.g. PatientID: its
 *                                   pseudonym)
 */
public record Deidentification(Dates dates, int dateShiftDays, boolean keepPatientCharacteristics,
                               Map<String, String> replace) {

    public enum Dates {
        /** Retain Longitudinal Temporal Information, Modified Dates Option (DICOM code 113107). */
        SHIFT,
        /** The profile's default: dates and times removed (or emptied where the attribute must be present). */
        REMOVE
    }

    public Deidentification {
        replace = Map.copyOf(replace);
        if (dates == Dates.SHIFT && dateShiftDays < 0) {
            throw new IllegalArgumentException("dateShiftDays moves dates into the past: " + dateShiftDays);
        }
    }
}

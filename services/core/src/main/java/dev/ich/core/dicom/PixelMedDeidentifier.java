package dev.ich.core.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.ClinicalTrialsAttributes.HandleDates;
import com.pixelmed.dicom.ClinicalTrialsAttributes.HandleStructuredContent;
import com.pixelmed.dicom.ClinicalTrialsAttributes.HandleUIDs;
import com.pixelmed.dicom.ClinicalTrialsAttributes;
import com.pixelmed.dicom.DicomException;

import java.util.Date;

/**
 * {@link Deidentification} on PixelMed's {@code ClinicalTrialsAttributes}, which implements the PS3.15
 * basic profile (walks nested sequences, handles every date and time attribute) and records what it did
 * in PatientIdentityRemoved, DeidentificationMethod and DeidentificationMethodCodeSequence (113100 basic
 * profile, 113110 Retain UIDs, 113107 modified dates, 113108 patient characteristics).
 */
final class PixelMedDeidentifier {
    private static final long DAY_MS = 86_400_000L;
    /**
     * PixelMed moves the earliest date to an epoch; handing it a fixed "earliest" and an epoch whole days
     * before it turns that into one constant shift for every instance, so all instances of a patient
     * move together (intervals survive) whatever dates each one carries.
     */
    private static final Date REFERENCE = new Date(10_000L * DAY_MS);

    private PixelMedDeidentifier() {
    }

    static void apply(AttributeList list, Deidentification d) throws DicomException {
        // Private attributes may hold anything (vendors put names and dates there): all go, nested ones too.
        list.removePrivateAttributes();
        boolean shift = d.dates() == Deidentification.Dates.SHIFT;
        Date epoch = shift ? new Date(REFERENCE.getTime() - d.dateShiftDays() * DAY_MS) : null;
        ClinicalTrialsAttributes.removeOrNullIdentifyingAttributes(list,
                HandleUIDs.keep,
                false,  // keepDescriptors: free text (study, image comments...) may name anyone
                false,  // keepSeriesDescriptors
                false,  // keepProtocolName
                d.keepPatientCharacteristics(),
                false,  // keepDeviceIdentity: serial numbers and station names point at one site
                false,  // keepInstitutionIdentity
                shift ? HandleDates.modify : HandleDates.remove,
                epoch,
                shift ? REFERENCE : null,
                HandleStructuredContent.remove,
                true);  // with patient characteristics kept, ages over 89 become 090Y (HIPAA safe harbour)
        PixelMedRewriter.replace(list, d.replace());
    }
}

package dev.ich.ingest;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Uids;
import dev.ich.core.dicom.DicomHeader;
import dev.ich.core.dicom.DicomLimits;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.ingest.StoreOutcome.Rejected;

import java.util.Set;

/**
 * Whether an instance may enter at all, decided from its bytes and header alone (no storage, no
 * pixel decoding): size, readable header, well-formed UIDs, allowed Modality, the study the request
 * named, PixelData complete. Cheap checks first, so garbage costs little.
 */
final class Admission {
    /** An admitted instance: its header and the raw object key it will be stored under. */
    record Admitted(DicomHeader header, String objectKey) {
    }

    /** Exactly one of the two is set. */
    record Verdict(Admitted admitted, Rejected rejected) {
    }

    private final DicomReader reader;
    private final long maxInstanceBytes;
    private final Set<String> modalities;
    private final boolean acceptRsnaIds;

    /** {@code acceptRsnaIds}: RSNA's {@code ID_<hex>} ids are admitted as UIDs (see {@link Uids}). */
    Admission(long maxInstanceBytes, Set<String> modalities, boolean acceptRsnaIds) {
        this.reader = DicomReader.create(new DicomLimits(DicomLimits.DEFAULT.maxPixels(), maxInstanceBytes));
        this.maxInstanceBytes = maxInstanceBytes;
        this.modalities = Set.copyOf(modalities);
        this.acceptRsnaIds = acceptRsnaIds;
    }

    /** {@code study} non-null: instances of other studies are refused (STOW-RS to /studies/{study}). */
    Verdict judge(byte[] bytes, String name, String study) {
        if (bytes.length > maxInstanceBytes) {
            return no(Rejected.of(Rejection.TooLarge, "instance of " + bytes.length + " bytes exceeds the limit of "
                    + maxInstanceBytes + " bytes (ich.ingest.max-instance-bytes)"));
        }
        DicomHeader header;
        try {
            header = reader.readHeader(bytes, name);
        } catch (DicomReadException e) {
            return no(Rejected.of(Rejection.of(e.problem()), e.reason()));
        }
        String sopClass = header.sopClassUid();
        String sop = header.sopInstanceUid();
        String key;
        try {
            if (!acceptRsnaIds) { // the key accepts both forms; this service was told to take DICOM UIDs only
                Uids.requireDicomUid("StudyInstanceUID", header.studyInstanceUid());
                Uids.requireDicomUid("SeriesInstanceUID", header.seriesInstanceUid());
                Uids.requireDicomUid("SOPInstanceUID", sop);
            }
            key = ObjectKeys.raw(header.studyInstanceUid(), header.seriesInstanceUid(), sop);
        } catch (Uids.InvalidUidException e) {
            Rejection code = e.getMessage().endsWith("is missing") ? Rejection.MissingUid : Rejection.InvalidUid;
            return no(new Rejected(sopClass, Uids.isValid(sop) ? sop : null, code, e.getMessage()));
        }
        String modality = header.modality();
        if (modality == null || !modalities.contains(modality.strip())) {
            return no(new Rejected(sopClass, sop, Rejection.ModalityNotAllowed, "Modality " + (modality == null
                    ? "is missing" : "\"" + modality + "\" is not accepted") + "; this service takes " + modalities));
        }
        if (study != null && !study.equals(header.studyInstanceUid())) {
            return no(new Rejected(sopClass, sop, Rejection.WrongStudy, "instance belongs to study "
                    + header.studyInstanceUid() + ", not to " + study + " named in the request URL"));
        }
        long missing = PixelDataExtent.missingBytes(bytes);
        if (missing > 0) {
            return no(new Rejected(sopClass, sop, Rejection.Truncated, "truncated file (" + bytes.length
                    + " bytes): PixelData lacks its last " + missing + " bytes"));
        }
        return new Verdict(new Admitted(header, key), null);
    }

    private static Verdict no(Rejected rejected) {
        return new Verdict(null, rejected);
    }
}

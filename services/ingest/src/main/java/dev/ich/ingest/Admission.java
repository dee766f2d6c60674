package dev.ich.ingest;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Uids;
import dev.ich.core.dicom.DicomHeader;
import dev.ich.core.dicom.DicomLimits;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomSlice;
import dev.ich.core.dicom.SliceAdmission;
import dev.ich.ingest.StoreOutcome.Rejected;

import java.util.Set;

/**
 * Whether an instance may enter at all, decided before anything is stored: it must be a slice ich can work on,
 * decoded here by the very reader cleaning decodes with (core's {@link SliceAdmission}, one parse), so what
 * cleaning could never read is refused at the door and the sender hears why at send time. Cheap checks first:
 * size; then core's limits on the bytes (sequence depth, element count, inflation budget); then, from the
 * header and before any pixel is decoded, well-formed UIDs, the allowed Modality, the study the request named;
 * then the pixel rules and the decoding itself.
 */
final class Admission {
    /** An admitted instance: its header and the raw object key it will be stored under. */
    record Admitted(DicomHeader header, String objectKey) {
    }

    /** Exactly one of the two is set. */
    record Verdict(Admitted admitted, Rejected rejected) {
    }

    /** A refusal found in the header, before the pixels are decoded. */
    private static final class Refused extends Exception {
        final transient Rejected rejected;

        Refused(Rejected rejected) {
            super(rejected.reason(), null, false, false);
            this.rejected = rejected;
        }
    }

    private final SliceAdmission slices;
    private final long maxInstanceBytes;
    private final boolean acceptRsnaIds;

    /** {@code acceptRsnaIds}: RSNA's {@code ID_<hex>} ids are admitted as UIDs (see {@link Uids}). */
    Admission(long maxInstanceBytes, Set<String> modalities, boolean acceptRsnaIds) {
        this.slices = new SliceAdmission(DicomLimits.DEFAULT.withMaxFileBytes(maxInstanceBytes), modalities);
        this.maxInstanceBytes = maxInstanceBytes;
        this.acceptRsnaIds = acceptRsnaIds;
    }

    /** {@code study} non-null: instances of other studies are refused (STOW-RS to /studies/{study}). */
    Verdict judge(byte[] bytes, String name, String study) {
        if (bytes.length > maxInstanceBytes) {
            return no(Rejected.of(Rejection.TooLarge, "instance of " + bytes.length + " bytes exceeds the limit of "
                    + maxInstanceBytes + " bytes (ich.ingest.max-instance-bytes)"));
        }
        String[] key = new String[1];
        DicomHeader[] identified = new DicomHeader[1];
        try {
            DicomSlice slice = slices.admit(bytes, name, header -> {
                key[0] = objectKey(header);
                identified[0] = header;
                slices.requireModality(header);
                if (study != null && !study.equals(header.studyInstanceUid())) {
                    throw new Refused(new Rejected(header.sopClassUid(), header.sopInstanceUid(), Rejection.WrongStudy,
                            "instance belongs to study " + header.studyInstanceUid() + ", not to " + study + " named in the request URL"));
                }
            });
            return new Verdict(new Admitted(slice.header(), key[0]), null);
        } catch (Refused r) {
            return no(r.rejected);
        } catch (DicomReadException e) {
            DicomHeader h = identified[0];
            Rejection code = Rejection.of(e.problem());
            return no(h == null ? Rejected.of(code, e.reason()) : new Rejected(h.sopClassUid(), h.sopInstanceUid(), code, e.reason()));
        }
    }

    /** The raw key from well-formed Study, Series and SOP Instance UIDs, or the refusal that names the one that is not. */
    private String objectKey(DicomHeader header) throws Refused {
        String sop = header.sopInstanceUid();
        try {
            if (!acceptRsnaIds) { // the key accepts both forms; this service was told to take DICOM UIDs only
                Uids.requireDicomUid("StudyInstanceUID", header.studyInstanceUid());
                Uids.requireDicomUid("SeriesInstanceUID", header.seriesInstanceUid());
                Uids.requireDicomUid("SOPInstanceUID", sop);
            }
            return ObjectKeys.raw(header.studyInstanceUid(), header.seriesInstanceUid(), sop);
        } catch (Uids.InvalidUidException e) {
            Rejection code = e.getMessage().endsWith("is missing") ? Rejection.MissingUid : Rejection.InvalidUid;
            throw new Refused(new Rejected(header.sopClassUid(), Uids.isValid(sop) ? sop : null, code, e.getMessage()));
        }
    }

    private static Verdict no(Rejected rejected) {
        return new Verdict(null, rejected);
    }
}

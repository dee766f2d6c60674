package dev.ich.core.dicom;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one set of rules for a DICOM instance to count as a slice ich can work on, applied at every door that
 * takes DICOM from outside: ingest (STOW-RS, single upload, C-STORE, bulk import) and inference
 * ({@code /predict}, {@code /predict/study}, the Open Inference Protocol). In this order:
 *
 * <ol>
 *   <li>the {@link DicomLimits}: size, sequence depth, element count, inflation budget (decompression bombs);</li>
 *   <li>the caller's own header checks (ingest: UIDs, the study a request named);</li>
 *   <li>an allowed Modality (CT unless configured otherwise): {@link DicomProblem#ModalityNotAllowed};</li>
 *   <li>a transfer syntax the reader decodes, a single-frame greyscale image (SamplesPerPixel 1, MONOCHROME1/2)
 *   of positive Rows x Columns within the pixel limit, BitsAllocated 8 or 16, BitsStored within it;</li>
 *   <li>compressed frames no larger than declared, then decoding itself: PixelData holding Rows x Columns values.</li>
 * </ol>
 *
 * <p>Cleaning decodes with the same reader, so whatever is admitted here is what cleaning can read; and its
 * "unreadable" rows remain only for objects stored before this rule (or put into the bucket by other means).
 */
public final class SliceAdmission {
    /** What ich is built for: brain CT. */
    public static final Set<String> DEFAULT_MODALITIES = Set.of("CT");

    private final DicomReader reader;
    private final DicomLimits limits;
    private final Set<String> modalities;

    public SliceAdmission(DicomLimits limits, Set<String> modalities) {
        if (modalities.isEmpty()) throw new IllegalArgumentException("at least one Modality must be allowed");
        this.reader = DicomReader.create(limits);
        this.limits = limits;
        Set<String> normalised = new TreeSet<>();
        for (String m : modalities) normalised.add(m.strip().toUpperCase(Locale.ROOT));
        this.modalities = Set.copyOf(normalised);
    }

    /** The default limits, CT only. */
    public static SliceAdmission defaults() {
        return new SliceAdmission(DicomLimits.DEFAULT, DEFAULT_MODALITIES);
    }

    public DicomLimits limits() {
        return limits;
    }

    public Set<String> modalities() {
        return modalities;
    }

    /** The decoded slice, or the first rule it breaks. */
    public DicomSlice admit(byte[] bytes, String name) throws DicomReadException {
        return admit(bytes, name, header -> {
        });
    }

    /**
     * As {@link #admit(byte[], String)}, running {@code first} on the header before the Modality rule and before
     * any pixel data is decoded: a caller's refusal (by throwing) then costs no decoding.
     */
    public <E extends Exception> DicomSlice admit(byte[] bytes, String name, DicomReader.HeaderCheck<E> first)
            throws DicomReadException, E {
        return reader.read(bytes, name, header -> {
            first.check(header);
            requireModality(header);
        });
    }

    /** {@link DicomProblem#ModalityNotAllowed} unless the header's Modality is one of {@link #modalities()}. */
    public void requireModality(DicomHeader header) throws DicomReadException {
        String modality = header.modality();
        if (modality == null || !modalities.contains(modality.strip().toUpperCase(Locale.ROOT))) {
            throw new DicomReadException(DicomProblem.ModalityNotAllowed, "Modality " + (modality == null ? "is missing"
                    : "\"" + modality.strip() + "\" is not accepted") + "; this service takes " + new TreeSet<>(modalities));
        }
    }
}

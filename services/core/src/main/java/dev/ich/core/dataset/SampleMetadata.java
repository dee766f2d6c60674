package dev.ich.core.dataset;

import dev.ich.core.event.SlicePrediction;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The subgroups a dataset sample belongs to, as its shard records them ({@link DatasetSample#metadata()}) and a
 * model's {@code metrics.subgroups} break its validation down by: the scanner source as the notebooks saw it
 * (BitsStored and PixelRepresentation), and the patient's sex and age band when the slice's header carried them.
 * Values are words a table can print; a key is absent when the slice did not say.
 */
public final class SampleMetadata {
    /** "12 bit / unsigned": BitsStored and PixelRepresentation, the exploration's scanner groups. */
    public static final String PIXELS = "pixels";
    /** PatientSex as DICOM writes it: F, M or O. */
    public static final String SEX = "sex";
    /** PatientAge in bands: "0-17", "18-39", "40-59", "60-79", "80+" (the predictions topic's). */
    public static final String AGE_BAND = "ageBand";
    private static final int MAX_ENTRIES = 16;
    private static final int MAX_LENGTH = 64;

    private SampleMetadata() {
    }

    /**
     * The metadata of a slice from its header values (any of them null when absent): what the dataset build and the
     * phantom datasets write.
     */
    public static Map<String, String> of(Object bitsStored, Object pixelRepresentation, Object patientSex, Object patientAge) {
        Map<String, String> m = new TreeMap<>();
        if (bitsStored != null || pixelRepresentation != null) m.put(PIXELS, pixels(integer(bitsStored), integer(pixelRepresentation)));
        String sex = patientSex == null ? "" : patientSex.toString().trim().toUpperCase(Locale.ROOT);
        if (sex.equals("F") || sex.equals("M") || sex.equals("O")) m.put(SEX, sex);
        String band = ageBand(patientAge == null ? null : patientAge.toString());
        if (band != null) m.put(AGE_BAND, band);
        return m;
    }

    /** "12 bit / unsigned", "16 bit / signed"; "unknown" for a value the slice lacked. */
    public static String pixels(Integer bitsStored, Integer pixelRepresentation) {
        String bits = bitsStored == null ? "unknown bits" : bitsStored + " bit";
        String sign = pixelRepresentation == null ? "unknown" : pixelRepresentation == 0 ? "unsigned"
                : pixelRepresentation == 1 ? "signed" : "representation " + pixelRepresentation;
        return bits + " / " + sign;
    }

    /**
     * The band of a DICOM Age String ({@code 065Y}, or days, weeks, months), or of plain years; null when it is neither.
     * The bands are the predictions topic's ({@link SlicePrediction#ageBand}), so a model card's subgroups and the
     * exploration's drift rows name the same groups.
     */
    public static String ageBand(String age) {
        if (age == null) return null;
        String a = age.trim().toUpperCase(Locale.ROOT);
        if (a.matches("\\d{1,3}")) a = String.format(Locale.ROOT, "%03dY", Integer.parseInt(a));
        return SlicePrediction.ageBand(a);
    }

    private static Integer integer(Object v) {
        if (v instanceof Number n) return n.intValue();
        if (v == null) return null;
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A copy, sorted by key; refused when it is larger than a shard entry's metadata should ever be. */
    static Map<String, String> check(String uid, Map<String, String> metadata) {
        if (metadata.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("sample " + uid + " has " + metadata.size() + " metadata entries; at most " + MAX_ENTRIES);
        }
        Map<String, String> copy = new TreeMap<>();
        metadata.forEach((k, v) -> {
            if (k == null || v == null || k.isEmpty() || k.length() > MAX_LENGTH || v.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("sample " + uid + " metadata " + k + "=" + v + ": keys and values are 1.." + MAX_LENGTH
                        + " characters");
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }
}

package dev.ich.core.phantom;

import java.util.EnumSet;
import java.util.Set;

/**
 * The scanner/site a study comes from, which decides how its HU are stored. The real data's four
 * institutions differ exactly here, and BitsStored hints at the source (docs/reference-experiment.md, "Exploration").
 */
enum Source {
    /** 12 of 16 bits, unsigned, intercept -1024: air stored as about 24, outside the field of view 0. */
    UNSIGNED_12(12, 0, -1024, 0.45, "GE MEDICAL SYSTEMS"),
    /** 16 bits signed, intercept -1024: outside the field of view is HU -2000 (stored -976). */
    SIGNED_16(16, 1, -1024, 0.30, "SIEMENS"),
    /** 16 bits unsigned with the rarer intercept -1000. */
    UNSIGNED_16_INTERCEPT_1000(16, 0, -1000, 0.20, "TOSHIBA"),
    /**
     * 12-bit data written with intercept 0 whose negative HU wrapped round 4096 (w = HU + 4096).
     * The notebooks' fix (add 1000, subtract 4096 at or above 4096, intercept -1000) restores HU exactly.
     */
    MIS_ENCODED_12(12, 0, 0, 0.05, "Philips");

    /** HU the phantom uses for pixels outside the field of view, as in the real data. */
    static final int OUTSIDE_FOV_HU = -2000;

    final int bitsStored;
    final int pixelRepresentation;
    final int rescaleIntercept;
    /** Share of studies from this source (the real set's mix is unknown; these give about 5% mis-encoded). */
    final double share;
    final String manufacturer;

    Source(int bitsStored, int pixelRepresentation, int rescaleIntercept, double share, String manufacturer) {
        this.bitsStored = bitsStored;
        this.pixelRepresentation = pixelRepresentation;
        this.rescaleIntercept = rescaleIntercept;
        this.share = share;
        this.manufacturer = manufacturer;
    }

    static Source pick(double u) {
        double cumulative = 0;
        for (Source s : values()) {
            cumulative += s.share;
            if (u < cumulative) return s;
        }
        return UNSIGNED_12;
    }

    /** The stored value (16 bits; unsigned sources use the bit pattern) for a pixel of the given HU. */
    short store(int hu) {
        if (hu <= OUTSIDE_FOV_HU) {
            // Signed data can say -2000; unsigned data can only write 0, which then reads as the intercept.
            if (this == SIGNED_16) return (short) (OUTSIDE_FOV_HU - rescaleIntercept);
            if (this != MIS_ENCODED_12) return 0;
        }
        return switch (this) {
            case UNSIGNED_12 -> (short) (clamp(hu, -1024, 4095 - 1024) + 1024);
            case SIGNED_16 -> (short) (clamp(hu, -1024, 30000) + 1024);
            case UNSIGNED_16_INTERCEPT_1000 -> (short) (clamp(hu, -1000, 30000) + 1000);
            case MIS_ENCODED_12 -> {
                // Above 3095 HU the fix could not tell values apart; below -1000 there is nothing to see.
                int h = clamp(hu, -1000, 3095);
                yield (short) (h >= 0 ? h : h + 4096);
            }
        };
    }

    /** HU a reader gets from a stored value by slope 1 and this source's intercept, without any fix. */
    int naiveHu(short stored) {
        int value = pixelRepresentation == 0 ? stored & 0xFFFF : stored;
        return value + rescaleIntercept;
    }

    /** HU the file really encodes for an intended HU: what a correct reader (with the fix) must recover. */
    int encodedHu(int hu) {
        short stored = store(hu);
        if (this != MIS_ENCODED_12) return naiveHu(stored);
        int v = (stored & 0xFFFF) + 1000;
        return (v >= 4096 ? v - 4096 : v) - 1000;
    }

    Set<Quirk> quirks() {
        Set<Quirk> q = EnumSet.noneOf(Quirk.class);
        if (bitsStored == 12) q.add(Quirk.BITS_STORED_12);
        if (pixelRepresentation == 1) q.add(Quirk.SIGNED_PIXELS);
        if (rescaleIntercept == -1000) q.add(Quirk.INTERCEPT_1000);
        if (this == MIS_ENCODED_12) q.add(Quirk.MIS_ENCODED_12_BIT);
        return q;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}

package dev.ich.ingest;

/**
 * Ingest reads headers only, which stop at PixelData, so a file cut inside its pixels would look
 * whole. This compares PixelData's declared length with the bytes that follow it: a cheap check that
 * keeps truncated uploads (an interrupted copy, a broken network send) out of storage.
 */
final class PixelDataExtent {
    private PixelDataExtent() {
    }

    /** Bytes missing at the end of PixelData, 0 when complete, undefined length or absent. */
    static long missingBytes(byte[] b) {
        int at = pixelDataTag(b);
        if (at < 0) return 0;
        long length;
        int valueStart;
        boolean explicit = at + 8 <= b.length && (b[at + 4] == 'O' && (b[at + 5] == 'W' || b[at + 5] == 'B')
                || b[at + 4] == 'U' && b[at + 5] == 'N') && b[at + 6] == 0 && b[at + 7] == 0;
        if (explicit) {
            if (at + 12 > b.length) return 12 - (b.length - at);
            length = uint32(b, at + 8);
            valueStart = at + 12;
        } else {
            if (at + 8 > b.length) return 8 - (b.length - at);
            length = uint32(b, at + 4);
            valueStart = at + 8;
        }
        if (length == 0xFFFFFFFFL) return 0; // encapsulated: fragments end with a delimiter we do not chase
        return Math.max(0, valueStart + length - b.length);
    }

    /**
     * The first (7FE0,0010) with a plausible VR or length after the meta header: headers come before
     * pixels, so a forward search meets the element itself before any pixel value could imitate it.
     */
    private static int pixelDataTag(byte[] b) {
        int from = b.length >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M' ? 132 : 0;
        for (int i = from; i + 4 <= b.length; i++) {
            if (b[i] == (byte) 0xE0 && b[i + 1] == 0x7F && b[i + 2] == 0x10 && b[i + 3] == 0x00 && plausible(b, i)) return i;
        }
        return -1;
    }

    private static boolean plausible(byte[] b, int at) {
        if (at + 8 > b.length) return true;
        boolean vr = (b[at + 4] == 'O' && (b[at + 5] == 'W' || b[at + 5] == 'B') || b[at + 4] == 'U' && b[at + 5] == 'N')
                && b[at + 6] == 0 && b[at + 7] == 0;
        long implicitLength = uint32(b, at + 4);
        return vr || implicitLength == 0xFFFFFFFFL || implicitLength % 2 == 0;
    }

    private static long uint32(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }
}

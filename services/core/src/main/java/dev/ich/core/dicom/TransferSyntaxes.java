package dev.ich.core.dicom;

import java.util.LinkedHashMap;
import java.util.Map;

/** Transfer syntax UIDs with the names people know them by, and which of them ich decodes. */
public final class TransferSyntaxes {
    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    public static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
    public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    public static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
    public static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";

    /** Decoded by PixelMed with its ImageIO JPEG-lossless codec (JPEG extended only for 8-bit data). */
    private static final Map<String, String> SUPPORTED = new LinkedHashMap<>();
    private static final Map<String, String> OTHERS = new LinkedHashMap<>();

    static {
        SUPPORTED.put(IMPLICIT_VR_LITTLE_ENDIAN, "Implicit VR Little Endian");
        SUPPORTED.put(EXPLICIT_VR_LITTLE_ENDIAN, "Explicit VR Little Endian");
        SUPPORTED.put(DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, "Deflated Explicit VR Little Endian");
        SUPPORTED.put(EXPLICIT_VR_BIG_ENDIAN, "Explicit VR Big Endian");
        SUPPORTED.put(RLE_LOSSLESS, "RLE Lossless");
        SUPPORTED.put(JPEG_BASELINE, "JPEG Baseline (Process 1)");
        SUPPORTED.put(JPEG_EXTENDED, "JPEG Extended (Process 2 & 4), 8-bit only");
        SUPPORTED.put(JPEG_LOSSLESS, "JPEG Lossless, Non-Hierarchical (Process 14)");
        SUPPORTED.put(JPEG_LOSSLESS_SV1, "JPEG Lossless, First-Order Prediction (Process 14, SV1)");

        OTHERS.put("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless");
        OTHERS.put("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless");
        OTHERS.put("1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless");
        OTHERS.put("1.2.840.10008.1.2.4.91", "JPEG 2000");
        OTHERS.put("1.2.840.10008.1.2.4.201", "HTJ2K Lossless");
        OTHERS.put("1.2.840.10008.1.2.4.202", "HTJ2K Lossless RPCL");
        OTHERS.put("1.2.840.10008.1.2.4.203", "HTJ2K");
        OTHERS.put("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile");
        OTHERS.put("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264");
        OTHERS.put("1.2.840.10008.1.2.4.110", "JPEG XL Lossless");
    }

    private TransferSyntaxes() {
    }

    public static boolean isSupported(String uid) {
        return SUPPORTED.containsKey(uid);
    }

    /** "JPEG-LS Lossless (1.2.840.10008.1.2.4.80)", or the bare UID when unknown. */
    public static String describe(String uid) {
        if (uid == null || uid.isBlank()) return "(none declared)";
        String name = SUPPORTED.getOrDefault(uid, OTHERS.get(uid));
        return name == null ? uid : name + " (" + uid + ")";
    }

    static String supportedDescription() {
        return String.join(", ", SUPPORTED.values());
    }
}

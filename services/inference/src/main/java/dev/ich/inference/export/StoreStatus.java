package dev.ich.inference.export;

/**
 * C-STORE response statuses (PS3.4 B.2.3, PS3.7 C) and STOW-RS FailureReasons (PS3.18 10.5.3: the same codes), read
 * as what to do next: stored, retry, or give up at once.
 */
final class StoreStatus {
    private StoreStatus() {
    }

    static String hex(int status) {
        return String.format("%04X", status & 0xFFFF);
    }

    /** The outcome of one answered store. */
    static Delivery classify(int status, String comment) {
        String answer = hex(status);
        String reason = "status " + answer + " (" + meaning(status) + ")" + (comment == null || comment.isBlank() ? "" : ": " + comment.strip());
        if (stored(status)) return Delivery.sent(answer);
        if (permanent(status)) return Delivery.permanent(answer, reason);
        return Delivery.refused(answer, reason);
    }

    /** Success, the three storage warnings, and "duplicate SOP instance" (the destination has it already). */
    static boolean stored(int status) {
        return status == 0x0000 || status == 0xB000 || status == 0xB006 || status == 0xB007 || status == 0x0111;
    }

    /**
     * The object itself is unacceptable to this destination: SOP class not supported (0122), data set does not match
     * the SOP class (A9xx), cannot understand (Cxxx). Everything else (out of resources A7xx, processing failure 0110,
     * not authorized 0124, unknown codes) may pass later and is retried up to max-attempts.
     */
    static boolean permanent(int status) {
        return status == 0x0122 || (status & 0xFF00) == 0xA900 || (status & 0xF000) == 0xC000;
    }

    static String meaning(int status) {
        if (status == 0x0000) return "success";
        if (status == 0xB000) return "warning: coercion of data elements";
        if (status == 0xB006) return "warning: elements discarded";
        if (status == 0xB007) return "warning: data set does not match SOP class";
        if (status == 0x0111) return "duplicate SOP instance";
        if (status == 0x0110) return "processing failure";
        if (status == 0x0122) return "SOP class not supported";
        if (status == 0x0124) return "not authorized";
        if ((status & 0xFF00) == 0xA700) return "out of resources";
        if ((status & 0xFF00) == 0xA900) return "data set does not match SOP class";
        if ((status & 0xF000) == 0xC000) return "cannot understand";
        return "failure";
    }
}

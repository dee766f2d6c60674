package dev.ich.ingest.dimse;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may open a C-STORE association, decided on the A-ASSOCIATE-RQ before PixelMed sees it (PixelMed
 * checks the called AE title but has no hook for the calling one): the called AE title must be ours,
 * the calling AE title on the allowlist ({@code *} admits anyone). A refusal is answered with an
 * A-ASSOCIATE-RJ, rejected-permanent, source DICOM UL service-user, with the reason PS3.8 9.3.4 defines.
 */
final class AssociationGate {
    /** Everyone may send: only by an explicit setting, logged at WARN at every start. */
    static final String ANY = "*";

    enum Refusal {
        CALLING_AE_NOT_RECOGNIZED(3, "calling-ae-not-recognized"),
        CALLED_AE_NOT_RECOGNIZED(7, "called-ae-not-recognized"),
        /** Not an A-ASSOCIATE-RQ ich can read (too short, too long). */
        MALFORMED_REQUEST(1, "malformed-request");

        final int reason;
        final String metric;

        Refusal(int reason, String metric) {
            this.reason = reason;
            this.metric = metric;
        }
    }

    /** The two AE titles of an A-ASSOCIATE-RQ, blanks trimmed as PS3.8 says they are insignificant. */
    record Request(String called, String calling) {
    }

    private final String aeTitle;
    private final Set<String> allowed;

    AssociationGate(String aeTitle, Set<String> allowedCallingAeTitles) {
        this.aeTitle = aeTitle.strip();
        this.allowed = allowedCallingAeTitles.stream().map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    boolean admitsAnyone() {
        return allowed.contains(ANY);
    }

    Set<String> allowed() {
        return allowed;
    }

    Optional<Refusal> judge(Request request) {
        if (!aeTitle.equals(request.called())) return Optional.of(Refusal.CALLED_AE_NOT_RECOGNIZED);
        if (!admitsAnyone() && !allowed.contains(request.calling())) return Optional.of(Refusal.CALLING_AE_NOT_RECOGNIZED);
        return Optional.empty();
    }

    /**
     * The AE titles of an A-ASSOCIATE-RQ body (the bytes after the 6-byte PDU header): protocol version
     * (2), reserved (2), called AE title (16), calling AE title (16), reserved (32), then items.
     */
    static Request parse(byte[] body) {
        if (body.length < 68) throw new IllegalArgumentException("A-ASSOCIATE-RQ of " + body.length + " bytes");
        return new Request(title(body, 4), title(body, 20));
    }

    private static String title(byte[] body, int offset) {
        return new String(body, offset, 16, StandardCharsets.US_ASCII).strip();
    }

    /** A-ASSOCIATE-RJ: type 0x03, reserved, length 4, reserved, result 1 (permanent), source 1 (service-user), reason. */
    static byte[] reject(Refusal refusal) {
        return new byte[]{0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x01, (byte) refusal.reason};
    }
}

package dev.ich.core.contract;

import java.util.regex.Pattern;

/**
 * DICOM UIDs as they may appear in object keys and URLs: digits and dots, at most 64 characters,
 * no empty component, no leading zero in a component (PS3.5 9.1). Validated before a UID becomes
 * part of a key, so a hostile header can never write outside its prefix.
 */
public final class Uids {
    private static final Pattern FORM = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    public static final int MAX_LENGTH = 64;

    private Uids() {
    }

    public static boolean isValid(String uid) {
        return uid != null && uid.length() <= MAX_LENGTH && FORM.matcher(uid).matches();
    }

    /** The UID itself, or an {@link InvalidUidException} naming the attribute and what is wrong. */
    public static String require(String attribute, String uid) {
        if (uid == null || uid.isBlank()) throw new InvalidUidException(attribute + " is missing");
        if (uid.length() > MAX_LENGTH) {
            throw new InvalidUidException(attribute + " is " + uid.length() + " characters long; a UID has at most 64");
        }
        if (!FORM.matcher(uid).matches()) {
            throw new InvalidUidException(attribute + " \"" + printable(uid)
                    + "\" is not a UID: only digits and dots, no empty component, no leading zero");
        }
        return uid;
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** A UID that may not become part of a key. */
    public static final class InvalidUidException extends IllegalArgumentException {
        public InvalidUidException(String reason) {
            super(reason);
        }
    }
}

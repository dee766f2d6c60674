package dev.ich.inference.export;

/**
 * What a destination did with one object on one attempt.
 *
 * @param status the destination's answer as it gave it (C-STORE status, HTTP status and failure reason); null when it
 *               never answered
 * @param reason null when sent; else a sentence a person can act on (no patient data)
 */
record Delivery(Outcome outcome, String status, String reason) {
    enum Outcome {
        /** Stored (a warning status included). */
        SENT,
        /** The destination answered and did not store it; counts towards max-attempts. */
        REFUSED,
        /** Refused for a reason retrying the same bytes cannot change: straight to the dead-letter topic. */
        PERMANENT,
        /**
         * No answer about the object: not reachable, busy (transient association rejection, HTTP 429/502/503/504), or the
         * exchange broke off. Retried with backoff for as long as it takes; never counts towards max-attempts.
         */
        UNREACHABLE
    }

    static Delivery sent(String status) {
        return new Delivery(Outcome.SENT, status, null);
    }

    static Delivery refused(String status, String reason) {
        return new Delivery(Outcome.REFUSED, status, reason);
    }

    static Delivery permanent(String status, String reason) {
        return new Delivery(Outcome.PERMANENT, status, reason);
    }

    static Delivery unreachable(String reason) {
        return new Delivery(Outcome.UNREACHABLE, null, reason);
    }
}

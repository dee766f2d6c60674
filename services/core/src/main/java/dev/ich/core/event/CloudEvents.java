package dev.ich.core.event;

/**
 * CloudEvents 1.0 Kafka binary-mode header names (ce_*), so every producer spells them the same way.
 * The payload is the JSON record; these headers say what it is.
 */
public final class CloudEvents {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    public static final String VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";

    private CloudEvents() {
    }

    /** A fresh event id. An event sent again (a producer's retry) keeps the id it was given the first time. */
    public static String newId() {
        return java.util.UUID.randomUUID().toString();
    }

    /**
     * The id of the one event that {@code parts} name (e.g. type, SOP Instance UID, digest): the same parts give the same
     * id in every process and after every restart, so an event announced again (a retry, a re-sent duplicate) is
     * recognisably the same event to consumers that skip repeated ids.
     */
    public static String idFor(String... parts) {
        return java.util.UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** The binary-mode attributes of one new event (a fresh id), header name to value, in a stable order. */
    public static java.util.Map<String, String> attributes(String source, String type, String subject, java.time.Instant time) {
        return attributes(newId(), source, type, subject, time);
    }

    /**
     * The attributes of event {@code id}: every send of one event carries the same id, so a consumer can tell a
     * repeat (source + id identify an event, CloudEvents 1.0) from a new event about the same subject.
     */
    public static java.util.Map<String, String> attributes(String id, String source, String type, String subject, java.time.Instant time) {
        java.util.Map<String, String> a = new java.util.LinkedHashMap<>();
        a.put(SPEC_VERSION, VERSION_1_0);
        a.put(ID, id);
        a.put(SOURCE, source);
        a.put(TYPE, type);
        a.put(SUBJECT, subject);
        a.put(TIME, time.toString());
        a.put(CONTENT_TYPE, JSON);
        return a;
    }
}

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

    /** The binary-mode attributes of one event, header name to value, in a stable order. */
    public static java.util.Map<String, String> attributes(String source, String type, String subject, java.time.Instant time) {
        java.util.Map<String, String> a = new java.util.LinkedHashMap<>();
        a.put(SPEC_VERSION, VERSION_1_0);
        a.put(ID, java.util.UUID.randomUUID().toString());
        a.put(SOURCE, source);
        a.put(TYPE, type);
        a.put(SUBJECT, subject);
        a.put(TIME, time.toString());
        a.put(CONTENT_TYPE, JSON);
        return a;
    }
}

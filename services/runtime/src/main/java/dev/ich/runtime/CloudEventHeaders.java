package dev.ich.runtime;

import dev.ich.core.event.CloudEvents;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** CloudEvents 1.0 binary-mode headers for a Kafka record (design.md, "Events"): the same set on every topic. */
public final class CloudEventHeaders {
    private CloudEventHeaders() {
    }

    /** A fresh event id, the given source, type and subject, {@code time}, JSON content. */
    public static RecordHeaders of(String source, String type, String subject, Instant time) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, CloudEvents.SPEC_VERSION, CloudEvents.VERSION_1_0);
        add(headers, CloudEvents.ID, UUID.randomUUID().toString());
        add(headers, CloudEvents.SOURCE, source);
        add(headers, CloudEvents.TYPE, type);
        add(headers, CloudEvents.SUBJECT, subject);
        add(headers, CloudEvents.TIME, time.toString());
        add(headers, CloudEvents.CONTENT_TYPE, CloudEvents.JSON);
        return headers;
    }

    public static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

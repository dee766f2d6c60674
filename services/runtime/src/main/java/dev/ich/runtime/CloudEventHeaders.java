package dev.ich.runtime;

import dev.ich.core.event.CloudEvents;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** CloudEvents 1.0 binary-mode headers for a Kafka record (design.md, "Events"): the same set on every topic. */
public final class CloudEventHeaders {
    private CloudEventHeaders() {
    }

    /** A fresh event id, the given source, type and subject, {@code time}, JSON content. */
    public static RecordHeaders of(String source, String type, String subject, Instant time) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.attributes(source, type, subject, time).forEach((name, value) -> add(headers, name, value));
        return headers;
    }

    public static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

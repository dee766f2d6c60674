package dev.ich.runtime;

import dev.ich.core.event.CloudEvents;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/** CloudEvents 1.0 binary-mode headers for a Kafka record (docs/architecture.md, "The services and their topics"): the same set on every topic. */
public final class CloudEventHeaders {
    private CloudEventHeaders() {
    }

    /** A fresh event id, the given source, type and subject, {@code time}, JSON content. */
    public static RecordHeaders of(String source, String type, String subject, Instant time) {
        return of(CloudEvents.newId(), source, type, subject, time);
    }

    /** Event {@code id} (a retry of an event sends its first id again), the given source, type and subject, {@code time}. */
    public static RecordHeaders of(String id, String source, String type, String subject, Instant time) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.attributes(id, source, type, subject, time).forEach((name, value) -> add(headers, name, value));
        return headers;
    }

    /** The record's {@code ce_id}, if it has one (the last, should it have several). */
    public static Optional<String> id(Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(CloudEvents.ID);
        return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    public static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

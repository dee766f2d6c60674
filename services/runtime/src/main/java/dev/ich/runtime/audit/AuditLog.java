package dev.ich.runtime.audit;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.AuditRecord;
import dev.ich.core.event.Events;
import dev.ich.runtime.PublishedEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes each audit record twice: as one JSON line in the service log (category {@code ich.audit}), at once, and
 * as a CloudEvent on the append-only {@code audit} topic, keyed by the caller's subject. A request never waits for
 * the broker: a record the broker refuses is reported in the log (with the record, which the log already holds).
 */
@ApplicationScoped
public class AuditLog {
    private static final Logger LOG = Logger.getLogger("ich.audit");
    private final AtomicLong unsent = new AtomicLong();

    @Inject
    @Channel(Topics.AUDIT)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
    MutinyEmitter<String> topic;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "ich")
    String service;

    public String service() {
        return service;
    }

    public void write(AuditRecord record) {
        PublishedEvents.Event event;
        try {
            LOG.info(Events.JSON.writeValueAsString(record));
            String key = record.agent() == null || record.agent().subject() == null ? "anonymous" : record.agent().subject();
            event = PublishedEvents.event(AuditRecord.TYPE, key, record, record.recorded())
                    .withSubject(record.action());
        } catch (Exception e) {
            LOG.errorf(e, "audit record %s could not be written as JSON", record.id());
            return;
        }
        try {
            PublishedEvents.publish(topic, event).subscribe().with(acked -> { }, refused -> LOG.errorf(
                    "audit record %s did not reach the audit topic (%d so far): %s", record.id(), unsent.incrementAndGet(),
                    refused.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf("audit record %s not queued for the audit topic (%d so far): %s", record.id(), unsent.incrementAndGet(), e.getMessage());
        }
    }

    /** Records the broker refused or that could not be queued, since start. */
    public long unsent() {
        return unsent.get();
    }
}

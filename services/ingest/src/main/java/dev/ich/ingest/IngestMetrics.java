package dev.ich.ingest;

import dev.ich.core.event.IngestSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The service's own counters; HTTP latency comes from Quarkus' server metrics (http.server.requests). */
@ApplicationScoped
public class IngestMetrics {
    @Inject
    MeterRegistry registry;

    void stored(IngestSource source, long bytes) {
        registry.counter("ich.ingest.instances", "source", source.wire()).increment();
        registry.counter("ich.ingest.received.bytes", "source", source.wire()).increment(bytes);
    }

    void duplicate(IngestSource source) {
        registry.counter("ich.ingest.duplicates", "source", source.wire()).increment();
    }

    /** ich_ingest_dimse_associations_rejected_total{reason}: refused at association, nothing received. */
    public void associationRejected(String reason) {
        registry.counter("ich.ingest.dimse.associations.rejected", "reason", reason).increment();
    }

    public void rejected(IngestSource source, Rejection reason) {
        registry.counter("ich.ingest.rejections", "source", source.wire(), "reason", reason.name()).increment();
    }
}

package dev.ich.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Checks the de-identification settings when the service starts, before any door opens: on (the
 * default) without a key is a refusal to start; off is allowed only as an explicit setting, and then
 * every start says so at WARN and the gauge {@code ich_ingest_deidentify_enabled} reads 0, so an
 * instance storing patient identities cannot go unnoticed.
 */
@ApplicationScoped
public class DeidentifyAtStart {
    private static final Logger LOG = Logger.getLogger(DeidentifyAtStart.class);
    static final String KEY_MISSING = "de-identification is on (ich.ingest.deidentify.enabled, the default) but no key is"
            + " set: give the HMAC key in the environment variable ICH_INGEST_DEIDENTIFY_KEY (ich.ingest.deidentify.key),"
            + " from a Secret; or, only where stored instances may carry patient identities, set"
            + " ICH_INGEST_DEIDENTIFY_ENABLED=false";
    static final String OFF = "DE-IDENTIFICATION IS OFF (ich.ingest.deidentify.enabled=false): instances are stored"
            + " as sent, with patient names, ids, dates and every other identifier they carry";

    @Inject
    IngestConfig config;
    @Inject
    MeterRegistry registry;

    void onStart(@Observes StartupEvent event) {
        boolean enabled = check(config.deidentify().enabled(), config.deidentify().key());
        Gauge.builder("ich.ingest.deidentify.enabled", () -> enabled ? 1 : 0)
                .description("1 when instances are de-identified before they are stored, 0 when stored as sent")
                .register(registry);
        if (enabled) {
            LOG.infof("de-identification on: PS3.15 basic profile, UIDs retained, private attributes removed, dates %s,"
                    + " patient characteristics %s", config.deidentify().dates().name().toLowerCase(),
                    config.deidentify().keepPatientCharacteristics() ? "retained" : "removed");
        } else {
            LOG.warn(OFF);
        }
    }

    /** Whether de-identification is on; throws, naming the variable to set, when it is on without a key. */
    static boolean check(boolean enabled, Optional<String> key) {
        if (enabled && key.filter(k -> !k.isBlank()).isEmpty()) throw new IllegalStateException(KEY_MISSING);
        return enabled;
    }
}

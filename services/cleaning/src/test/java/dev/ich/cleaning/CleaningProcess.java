package dev.ich.cleaning;

import dev.ich.testkit.ServiceProcess;

/** The packaged cleaning service with the settings the crash and outage tests need. */
final class CleaningProcess {
    static final ServiceProcess CLEANING = ServiceProcess.of("cleaning")
            .withEnv("ICH_CLEANING_WORKERS", "2")
            .withEnv("ICH_CLEANING_STORAGE_BACKOFF", "100ms")
            // A short session timeout: the broker gives a killed instance's partitions away sooner (45 s by default).
            .withJvmOption("-Dmp.messaging.incoming.dicom-ingested.session.timeout.ms=6000");

    private CleaningProcess() {
    }
}

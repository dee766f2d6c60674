package dev.ich.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Everything the ingest service can be told; defaults suit a hospital sending brain CT. */
@ConfigMapping(prefix = "ich.ingest")
public interface IngestConfig {

    /** Modalities accepted; anything else is rejected with a reason (ich trains on CT). */
    @WithDefault("CT")
    Set<String> allowedModalities();

    /** Largest single instance: a 512x512 CT slice is about 0.5 MiB, so 64 MiB is generous. */
    @WithDefault("67108864")
    long maxInstanceBytes();

    /** Largest STOW-RS request body; the client splits bigger studies into several requests. */
    @WithDefault("1073741824")
    long maxRequestBytes();

    /**
     * Instances of one STOW-RS request ingested at once (and held in memory at most): overlaps
     * reading the next part with storing the previous ones.
     */
    @WithDefault("4")
    int stowParallelism();

    /** Threads shared by all STOW-RS requests for ingesting parts. */
    @WithDefault("8")
    int stowThreads();

    /**
     * Accept the RSNA data set's ids ({@code ID_} and 1 to 61 hex digits) where DICOM puts UIDs
     * (SOP Instance, Study, Series). The RSNA Intracranial Hemorrhage Detection files carry such ids
     * instead of UIDs, and ich is built for that data set, hence on by default; off: DICOM UIDs only.
     */
    @WithDefault("true")
    boolean acceptRsnaIds();

    Dimse dimse();

    Deidentify deidentify();

    Import imports();

    Publish publish();

    interface Dimse {
        /** Off in tests that do not need the port; on in every real deployment. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("ICH")
        String aeTitle();

        @WithDefault("11112")
        int port();
    }

    interface Deidentify {
        /** Blank direct identifiers and key PatientID by HMAC before anything is stored. */
        @WithDefault("false")
        boolean enabled();

        /** The HMAC key (from a secret: ICH_INGEST_DEIDENTIFY_KEY); required when enabled. */
        Optional<String> key();
    }

    interface Import {
        /** Objects ingested at once per import; S3 round trips dominate, so a few threads suffice. */
        @WithDefault("4")
        int parallelism();

        /** Failures listed per import in GET /imports/{id}; the count is always complete. */
        @WithDefault("100")
        int maxListedFailures();

        /**
         * How often a running import writes its status to ingest/imports/{id}.json, where every replica reads it.
         * A running status not rewritten for three intervals is reported as interrupted.
         */
        @WithDefault("5s")
        java.time.Duration checkpointInterval();
    }

    interface Publish {
        /** How long one send may wait for the broker's acknowledgement before it is queued for retry. */
        @WithDefault("10s")
        Duration ackTimeout();

        /** First retry delay of a queued event; doubles up to max-backoff. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("60s")
        Duration maxBackoff();
    }
}

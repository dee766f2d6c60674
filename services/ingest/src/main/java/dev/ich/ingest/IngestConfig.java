package dev.ich.ingest;

import dev.ich.core.dicom.Deidentification;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
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

    Study study();

    /** When a study counts as complete (docs/dicom.md, "Study triage"). */
    interface Study {
        /**
         * A study is complete once no new instance of it was stored for this long (Orthanc calls it StableAge); then
         * {@code study-completed} is published. Instances that arrive later start a new round and a new event.
         */
        @WithDefault("60s")
        Duration stableAge();
    }

    DicomWeb dicomweb();

    interface Dimse {
        /** Off in tests that do not need the port; on in every real deployment. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("ICH")
        String aeTitle();

        @WithDefault("11112")
        int port();

        /**
         * Address the receiver binds (ICH_INGEST_DIMSE_HOST); unset: every interface, as a pod needs. The local stack
         * binds 127.0.0.1 unless ./ich up --listen says otherwise.
         */
        Optional<String> host();

        /**
         * Calling AE titles allowed to open an association (ICH_INGEST_DIMSE_ALLOWED_CALLING_AE_TITLES,
         * comma-separated). Unset: nobody may send. The single entry {@code *} admits any sender and is
         * logged at WARN at every start. Others are rejected at association (A-ASSOCIATE-RJ, reason 3).
         */
        Optional<Set<String>> allowedCallingAeTitles();

        /**
         * How long a C-STORE waits for Kafka's acknowledgement of the instance's event before writing it to
         * the pending marker instead; the sender waits for the response meanwhile, so it stays well below
         * the DIMSE timeouts of common senders (Orthanc's DicomScuTimeout is 10 s).
         */
        @WithDefault("5s")
        Duration ackTimeout();

        /**
         * Longest silence from the sender within an association (between or inside messages); then the
         * association is aborted, so a vanished peer cannot hold a thread.
         */
        @WithDefault("60s")
        Duration readTimeout();

        Tls tls();
    }

    /** DIMSE over TLS (DICOM PS3.15 Annex B secure transport); off: plain TCP. */
    interface Tls {
        @WithDefault("false")
        boolean enabled();

        /** Key store holding the receiver's private key and certificate chain (from a Secret). */
        Optional<String> keyStore();

        /** Its password (ICH_INGEST_DIMSE_TLS_KEY_STORE_PASSWORD, from a Secret). */
        Optional<String> keyStorePassword();

        @WithDefault("PKCS12")
        String keyStoreType();

        /** Protocols offered; BCP 195 (which DICOM's TLS profiles follow) asks for TLS 1.2 or later. */
        @WithDefault("TLSv1.3,TLSv1.2")
        List<String> protocols();
    }

    interface Deidentify {
        /**
         * De-identify every instance before anything is stored (PS3.15 basic profile, see Deidentifier).
         * Off only by an explicit setting, which ingest logs at WARN at every start.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The HMAC key behind PatientID pseudonyms and date shifts (from a Secret: ICH_INGEST_DEIDENTIFY_KEY);
         * without it, and de-identification on, the service refuses to start. Changing it gives every
         * patient a new pseudonym and shift: keep it for the life of the data set.
         */
        Optional<String> key();

        /**
         * {@code shift} (default): dates move back by a per-patient number of whole days, intervals within a
         * patient survive (Retain Longitudinal Temporal Information, Modified Dates); {@code remove}: the
         * profile's default, dates and times removed or emptied.
         */
        @WithDefault("shift")
        Deidentification.Dates dates();

        /** Retain Patient Characteristics Option (age, sex, size, weight); off by default. */
        @WithDefault("false")
        boolean keepPatientCharacteristics();
    }

    interface Import {
        /** Objects ingested at once per import; S3 round trips dominate, so a few threads suffice. */
        @WithDefault("4")
        int parallelism();

        /** Failures listed per import in GET /imports/{id}; the count is always complete. */
        @WithDefault("100")
        int maxListedFailures();

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

    /** QIDO-RS and WADO-RS over what ingest stored, and the index behind them (docs/dicom.md). */
    interface DicomWeb {
        /** Most results one QIDO-RS answer carries; beyond it the answer is cut, says so in a Warning, and the client pages. */
        @WithDefault("5000")
        int maxResults();

        /** How often a replica lists the index records written lately, to see instances other replicas stored. */
        @WithDefault("2s")
        Duration indexPollInterval();

        /**
         * How far back each listing looks; must exceed the clock skew between replicas plus the time one record's
         * write takes, or a record can be missed until the next start.
         */
        @WithDefault("60s")
        Duration indexPollOverlap();

        /** Records (or, when backfilling, objects) read at once while a replica builds its index at start. */
        @WithDefault("8")
        int indexLoadParallelism();
    }
}

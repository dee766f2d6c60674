package dev.ich.inference.export;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where result objects are sent ({@code ich.inference.export.*}; in the environment
 * {@code ICH_INFERENCE_EXPORT_DESTINATIONS_<NAME>_KIND} and so on, docs/dicom.md, "Export to PACS"). No destination
 * is the default: results then stay in the bucket.
 */
@ConfigMapping(prefix = "ich.inference.export")
public interface ExportConfig {
    /** By name (lower-case letters and digits; the name is part of outbox keys and metric tags). */
    Map<String, Destination> destinations();

    /** How often an idle sender looks at its outbox again (records another replica queued) and a non-holder at the lease. */
    @WithDefault("5s")
    Duration pollInterval();

    /**
     * How long a replica's claim on a destination lasts without renewal (renewed every third of it). Only the holder
     * sends, so replicas do not send the same outbox twice; a replica that dies is replaced after at most this long.
     */
    @WithDefault("60s")
    Duration leaseDuration();

    enum Kind {
        /** DICOM C-STORE (PS3.7) over TCP, no TLS yet. */
        DIMSE,
        /** DICOMweb STOW-RS (PS3.18): {@code POST <url>/studies}. */
        STOW
    }

    interface Destination {
        Kind kind();

        /** dimse: the peer's host name or address. */
        Optional<String> host();

        /** dimse: the peer's DICOM port. */
        Optional<Integer> port();

        /** dimse: the peer's AE title. */
        Optional<String> calledAeTitle();

        /** dimse: our AE title, as the peer knows it. */
        @WithDefault("ICH")
        String callingAeTitle();

        /** stow: the DICOMweb base; objects are POSTed to {@code <url>/studies}. Credentials never go here. */
        Optional<URI> url();

        /** stow: sent as {@code Authorization: Bearer ...} (from a Secret; never logged). */
        Optional<String> bearerToken();

        /** stow: HTTP basic credentials (from a Secret; never logged), when no bearer token is set. */
        Optional<String> username();

        Optional<String> password();

        /** Refusals (the destination answered and did not store) before an object goes to the dead-letter topic. */
        @WithDefault("10")
        int maxAttempts();

        /** Wait after the first failed attempt; doubled after each further one. */
        @WithDefault("2s")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /** Longest one association or request may take (connect, send, answer) before it is aborted. */
        @WithDefault("60s")
        Duration timeout();

        /** Most objects of one study in one association or STOW-RS request. */
        @WithDefault("16")
        int maxBatch();
    }
}

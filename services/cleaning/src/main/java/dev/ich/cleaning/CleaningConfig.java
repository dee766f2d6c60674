package dev.ich.cleaning;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The service's typed configuration. The pipeline part decides the pipeline version; the rest does not. */
@ConfigMapping(prefix = "ich.cleaning")
public interface CleaningConfig {
    Pipeline pipeline();

    /**
     * Slices cleaned at once by the consumer (the cleaning-workers pool). About twice the cores: half of a
     * slice's time on a worker is waiting for storage (read and store), measured with ./ich bench cleaning
     * on two cores: 2 workers 16 slices/s, 4 workers 26-27, 6 workers 28. Read by application.properties
     * for smallrye.messaging.worker.cleaning-workers.max-concurrency.
     */
    @WithDefault("4")
    int workers();

    /** Threads of the background reprocess runs; they share the cores with the consumer's worker pool. */
    @WithDefault("2")
    int reprocessWorkers();

    /** How long a publish may wait for the broker's acknowledgement before the message counts as failed. */
    @WithDefault("30s")
    Duration publishTimeout();

    interface Pipeline {
        /** Output channels in order: window names (brain, subdural, ...) or hist. */
        @WithDefault("brain,subdural,hist")
        List<String> channels();

        /** Side of the square output PNG in pixels. */
        @WithDefault("256")
        int size();

        /** Slices with img_pct_window below this are dropped. */
        @WithDefault("0.02")
        double dropThreshold();

        /** A text file of ascending HU breakpoints (POST /pipelines/bins prints one); absent: the core's shipped bins. */
        Optional<String> binsFile();

        /** PNG deflate level 0..9: size and speed only, never pixels, so not part of the version. */
        @WithDefault("1")
        int pngLevel();
    }

}

package dev.ich.runtime.operation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How background work is kept where every replica reads it (docs/operations.md). */
@ConfigMapping(prefix = "ich.operations")
public interface OperationsConfig {
    /**
     * How often a running operation writes its current value to the bucket. One not rewritten for three intervals is
     * answered as interrupted: its replica stopped.
     */
    @WithDefault("5s")
    Duration checkpointInterval();
}

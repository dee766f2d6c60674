package dev.ich.inference.serving;

import dev.ich.model.Learner;
import dev.ich.model.ModelSpec;

import java.io.IOException;
import java.nio.file.Path;

/** A freshly initialised network saved as a checkpoint: what the serving tests load where only its shape matters. */
final class UntrainedNetwork {
    private UntrainedNetwork() {
    }

    /** Saves it to {@code dir}; returns {@code dir}. */
    static Path save(ModelSpec spec, long seed, Path dir) throws IOException {
        try (Learner learner = Learner.create(spec, seed)) {
            learner.save(dir);
        }
        return dir;
    }
}

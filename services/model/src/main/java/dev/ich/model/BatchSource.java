package dev.ich.model;

import java.util.Iterator;
import java.util.List;

/**
 * Batches of one split. The trainer's implementation reads dataset shards, decodes and augments on a
 * thread pool ahead of the model; tests use arrays in memory.
 */
public interface BatchSource {
    /** Batches one pass yields (the last may be smaller). */
    int batches();

    /** A fresh pass; {@code epoch} seeds its shuffling and augmentation so a resumed run repeats it exactly. */
    Iterator<Batch> epoch(int epoch);

    /** Batches already in memory, the same ones every pass: one prediction's input, a test's data. */
    static BatchSource of(List<Batch> batches) {
        List<Batch> fixed = List.copyOf(batches);
        return new BatchSource() {
            @Override
            public int batches() {
                return fixed.size();
            }

            @Override
            public Iterator<Batch> epoch(int epoch) {
                return fixed.iterator();
            }
        };
    }
}

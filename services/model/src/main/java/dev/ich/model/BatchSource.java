package dev.ich.model;

import java.util.Iterator;

/**
 * Batches of one split. The trainer's implementation reads dataset shards, decodes and augments on a
 * thread pool ahead of the model; tests use arrays in memory.
 */
public interface BatchSource {
    /** Batches one pass yields (the last may be smaller). */
    int batches();

    /** A fresh pass; {@code epoch} seeds its shuffling and augmentation so a resumed run repeats it exactly. */
    Iterator<Batch> epoch(int epoch);
}

package dev.ich.core.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.event.Events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Version numbers that are never given twice (label versions, dataset versions per name, model versions per name).
 * Numbering by "the highest version that exists, plus one" hands a deleted version's number to the next upload while
 * datasets, models and reports still name it; so each series keeps a high-water mark in the bucket
 * ({@code .../high-water.json}, {@link dev.ich.core.contract.ObjectKeys}): the highest number ever claimed, written
 * before the version's own objects and never deleted. A claim takes one above both the mark and the highest version
 * that exists (which covers buckets written before marks existed). Numbers may have gaps (a failed upload or build
 * keeps its number); they are never reused. One writer per series at a time: callers serialise their claims (the
 * labeling service in one synchronized method, each trainer on its own model name).
 */
public final class VersionCounter {
    /** The one small object the mark is: read and written whole. */
    public interface Marks {
        Optional<byte[]> read(String key);

        void write(String key, byte[] json);
    }

    private final Marks marks;
    private final String key;

    public VersionCounter(Marks marks, String key) {
        this.marks = marks;
        this.key = key;
    }

    /** A counter whose mark is the object {@code key} in {@code store}. */
    public static VersionCounter in(ObjectStore store, String key) {
        return new VersionCounter(new Marks() {
            public Optional<byte[]> read(String k) {
                return store.stat(k).isEmpty() ? Optional.empty() : Optional.of(store.get(k));
            }

            public void write(String k, byte[] json) {
                store.put(k, json, "application/json", java.util.Map.of());
            }
        }, key);
    }

    public String key() {
        return key;
    }

    /** The highest number ever claimed in this series; 0 when none was. */
    public int highWater() {
        Optional<byte[]> json = marks.read(key);
        if (json.isEmpty()) return 0;
        try {
            JsonNode node = Events.JSON.readTree(json.get());
            if (!node.path("highest").canConvertToInt() || node.path("highest").asInt() < 0) throw new IOException("no \"highest\" number");
            return node.path("highest").asInt();
        } catch (IOException e) {
            // Guessing here could hand out a number already in use: refuse until a person repairs the mark.
            throw new IllegalStateException(key + " is not a readable high-water mark (" + e.getMessage() + "): "
                    + new String(json.get(), StandardCharsets.UTF_8).strip() + "; write {\"highest\": N} with N the highest version "
                    + "this series ever had", e);
        }
    }

    /**
     * Claims the next number: one above the mark and above {@code highestPresent} (the highest version that exists now),
     * and records it as the new mark before returning, so no later claim, here or after a restart, gets it again.
     */
    public int claim(int highestPresent) {
        int next = Math.max(highWater(), Math.max(0, highestPresent)) + 1;
        String json = "{\"highest\": " + next + ", \"claimedAt\": \"" + Instant.now() + "\", \"why\": \"version numbers are never reused:"
                + " the next version of this series is numbered above this one even when this one is deleted\"}\n";
        marks.write(key, json.getBytes(StandardCharsets.UTF_8));
        return next;
    }
}

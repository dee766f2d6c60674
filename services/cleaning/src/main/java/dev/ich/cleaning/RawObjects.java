package dev.ich.cleaning;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.core.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads raw DICOM from storage with a few retries, and tells a missing object (retrying cannot help:
 * the message goes to the dead-letter topic at once) from storage that does not answer.
 */
@ApplicationScoped
public class RawObjects {
    @Inject
    ObjectStore store;

    @Inject
    CleaningConfig config;

    public byte[] read(String key) {
        long pause = config.storage().backoff().toMillis();
        StorageException last = null;
        for (int attempt = 1; attempt <= config.storage().attempts(); attempt++) {
            try {
                return store.get(key);
            } catch (StorageException e) {
                last = e;
                if (isMissing(key)) throw new MissingRawObjectException(key);
                if (attempt < config.storage().attempts()) sleep(pause);
                pause *= 2;
            }
        }
        throw new StorageException("storage unreachable after " + config.storage().attempts() + " attempts to read "
                + key + ": " + last.getMessage(), last);
    }

    /** Every raw slice key, in listing order (objects whose key is not a slice are skipped). */
    public List<RawSlice> list() {
        List<RawSlice> slices = new ArrayList<>();
        for (StoredObject o : store.list(ObjectKeys.RAW_PREFIX)) {
            try {
                slices.add(RawSlice.ofKey(o.key()));
            } catch (IllegalArgumentException notASlice) {
                // e.g. a manifest someone left under raw/: not ours to clean
            }
        }
        return slices;
    }

    private boolean isMissing(String key) {
        try {
            return store.stat(key).isEmpty();
        } catch (StorageException unreachable) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting to retry", e);
        }
    }

    /** The event points at an object that is not there: data loss upstream, not something to retry. */
    public static final class MissingRawObjectException extends RuntimeException {
        MissingRawObjectException(String key) {
            super("raw object " + key + " does not exist in storage");
        }
    }
}

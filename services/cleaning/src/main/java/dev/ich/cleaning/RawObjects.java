package dev.ich.cleaning;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.core.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.eclipse.microprofile.faulttolerance.Retry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads raw DICOM from storage with a few retries (SmallRye Fault Tolerance: {@value #ATTEMPTS} attempts, 200 ms
 * before the second, doubled before each further one; the delay is configurable, docs/cleaning.md), and tells a missing
 * object (retrying cannot help: the message goes to the dead-letter topic at once) from storage that does not answer.
 */
@ApplicationScoped
public class RawObjects {
    /** A constant, not a setting: the dead-letter reason says how often storage was asked. */
    static final int ATTEMPTS = 3;

    @Inject
    ObjectStore store;

    @Retry(maxRetries = ATTEMPTS - 1, delay = 200, delayUnit = ChronoUnit.MILLIS, maxDuration = 0, jitter = 0,
            retryOn = StorageException.class, abortOn = MissingRawObjectException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 0)
    @Fallback(value = Unreachable.class, applyOn = StorageException.class)
    public byte[] read(String key) {
        try {
            return store.get(key);
        } catch (StorageException e) {
            if (isMissing(key)) throw new MissingRawObjectException(key);
            throw e;
        }
    }

    /** Every attempt failed: the reason the message is dead-lettered with. */
    public static final class Unreachable implements FallbackHandler<byte[]> {
        @Override
        public byte[] handle(ExecutionContext context) {
            Throwable last = context.getFailure();
            throw new StorageException("storage unreachable after " + ATTEMPTS + " attempts to read " + context.getParameters()[0]
                    + ": " + last.getMessage(), last);
        }
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

    /** The event points at an object that is not there: data loss upstream, not something to retry. */
    public static final class MissingRawObjectException extends RuntimeException {
        MissingRawObjectException(String key) {
            super("raw object " + key + " does not exist in storage");
        }
    }
}

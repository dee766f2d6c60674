package dev.ich.core.storage;

/** The object store failed or could not be reached; the message says which object and why. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}

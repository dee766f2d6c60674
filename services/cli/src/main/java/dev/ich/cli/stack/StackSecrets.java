package dev.ich.cli.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The local stack's own secrets (the pseudonym key, the local PACS's password): made once, kept owner-only. */
final class StackSecrets {
    private StackSecrets() {
    }

    /** The hex secret in {@code file}, made on first use from {@code bytes} random bytes. */
    static String readOrCreate(Path file, int bytes) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] secret = new byte[bytes];
            new SecureRandom().nextBytes(secret);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system: the state directory's own permissions protect it
            }
            Files.writeString(file, HexFormat.of().formatHex(secret));
        }
        return Files.readString(file).trim();
    }
}

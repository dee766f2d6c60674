package dev.ich.cli.send;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Which files a destination already holds, so an interrupted `ich send` resends only the rest. One
 * journal per destination URL under .ich/send/, one line per file (absolute path, size, mtime):
 * a file changed since it was sent is sent again.
 */
final class SendJournal implements AutoCloseable {
    private final Set<String> done = new HashSet<>();
    private final BufferedWriter writer;
    private final Path file;

    SendJournal(Path dir, String destination) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve(digest(destination) + ".journal");
        if (Files.exists(file)) done.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    Path file() {
        return file;
    }

    boolean contains(Path p) {
        return done.contains(entry(p));
    }

    synchronized void record(Path p) throws IOException {
        String e = entry(p);
        if (done.add(e)) {
            writer.write(e);
            writer.newLine();
        }
    }

    synchronized void flush() throws IOException {
        writer.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }

    private static String entry(Path p) {
        try {
            Path abs = p.toAbsolutePath().normalize();
            return abs + "\t" + Files.size(abs) + "\t" + Files.getLastModifiedTime(abs).toMillis();
        } catch (IOException e) {
            return p.toAbsolutePath() + "\t?";
        }
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

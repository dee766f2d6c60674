package dev.ich.trainer;

import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a job reads its dataset and writes its artefacts: the bucket in production, a local folder with the
 * same key layout for `ich experiment` on one machine. Keys are the design's object keys either way.
 */
public interface Blobs {
    byte[] get(String key);

    Optional<Long> size(String key);

    void put(String key, byte[] bytes, String contentType);

    void putFile(String key, Path file, String contentType);

    /** Keys under {@code prefix}, sorted. */
    List<String> list(String prefix);

    /** Where a person finds {@code key} (an s3:// or file path), for messages. */
    String describe(String key);

    static Blobs of(ObjectStore store) {
        return new Blobs() {
            public byte[] get(String key) {
                return store.get(key);
            }

            public Optional<Long> size(String key) {
                return store.stat(key).map(StoredObject::size);
            }

            public void put(String key, byte[] bytes, String contentType) {
                store.put(key, bytes, contentType, java.util.Map.of());
            }

            public void putFile(String key, Path file, String contentType) {
                store.putFile(key, file, contentType);
            }

            public List<String> list(String prefix) {
                List<String> keys = new ArrayList<>();
                store.list(prefix).forEach(o -> keys.add(o.key()));
                keys.sort(null);
                return keys;
            }

            public String describe(String key) {
                return "s3://" + store.bucket() + "/" + key;
            }
        };
    }

    static Blobs directory(Path root) {
        return new Blobs() {
            private Path path(String key) {
                Path p = root.resolve(key).normalize();
                if (!p.startsWith(root)) throw new IllegalArgumentException("key leaves the folder: " + key);
                return p;
            }

            public byte[] get(String key) {
                try {
                    return Files.readAllBytes(path(key));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + path(key), e);
                }
            }

            public Optional<Long> size(String key) {
                try {
                    return Files.isRegularFile(path(key)) ? Optional.of(Files.size(path(key))) : Optional.empty();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            public void put(String key, byte[] bytes, String contentType) {
                try {
                    Files.createDirectories(path(key).getParent());
                    Files.write(path(key), bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + path(key), e);
                }
            }

            public void putFile(String key, Path file, String contentType) {
                try {
                    Files.createDirectories(path(key).getParent());
                    Files.copy(file, path(key), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + path(key), e);
                }
            }

            public List<String> list(String prefix) {
                Path base = path(prefix.endsWith("/") ? prefix : prefix.substring(0, Math.max(0, prefix.lastIndexOf('/') + 1)));
                if (!Files.isDirectory(base)) return List.of();
                try (Stream<Path> files = Files.walk(base)) {
                    return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                            .filter(k -> k.startsWith(prefix)).sorted().toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            public String describe(String key) {
                return path(key).toString();
            }
        };
    }
}

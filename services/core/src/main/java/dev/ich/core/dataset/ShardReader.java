package dev.ich.core.dataset;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a shard sequentially, one sample per {@code <uid>.json} + {@code <uid>.png} pair, in tar
 * order. A malformed shard is an {@link IllegalStateException} naming the shard and the entry; a
 * failed or truncated read an {@link UncheckedIOException}. Closing closes the stream.
 */
public final class ShardReader implements Closeable, Iterator<DatasetSample> {
    /** Far above any cleaned slice (a 512x512 RGB PNG is under 1 MB): a corrupt size must not exhaust memory. */
    static final long MAX_ENTRY_BYTES = 64L << 20;

    private final TarArchiveInputStream tar;
    private final String source;
    private DatasetSample next;
    private boolean done;

    /** {@code source} (an object key or file name) only appears in error messages. */
    public ShardReader(InputStream in, String source) {
        this.tar = new TarArchiveInputStream(in);
        this.source = source;
    }

    public ShardReader(InputStream in) {
        this(in, "shard");
    }

    /** Every sample of a shard, for tests and small shards; closes the stream. */
    public static List<DatasetSample> readAll(InputStream in, String source) throws IOException {
        List<DatasetSample> out = new ArrayList<>();
        try (ShardReader r = new ShardReader(in, source)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = readSample();
            done = next == null;
        }
        return next != null;
    }

    @Override
    public DatasetSample next() {
        if (!hasNext()) throw new NoSuchElementException(source + " has no more samples");
        DatasetSample s = next;
        next = null;
        return s;
    }

    private DatasetSample readSample() {
        TarArchiveEntry json = nextEntry(null);
        if (json == null) return null;
        String name = json.getName();
        if (name.endsWith(ShardWriter.PNG)) {
            throw malformed("entry '" + name + "' has no '" + key(name, ShardWriter.PNG) + ShardWriter.JSON + "' before it");
        }
        if (!name.endsWith(ShardWriter.JSON)) {
            throw malformed("unexpected entry '" + name + "': a shard holds only <uid>.json and <uid>.png pairs");
        }
        String uid = key(name, ShardWriter.JSON);
        byte[] jsonBytes = content(json);
        String pngName = uid + ShardWriter.PNG;
        TarArchiveEntry png = nextEntry(name);
        List<byte[]> neighbours = new ArrayList<>();
        while (png != null && png.getName().equals(uid + ShardWriter.CONTEXT + neighbours.size() + ShardWriter.PNG)) {
            neighbours.add(content(png));
            png = nextEntry(png.getName());
        }
        if (png == null) throw malformed("entry '" + name + "' is the last one: '" + pngName + "' is missing");
        if (!png.getName().equals(pngName)) {
            throw malformed("entry '" + png.getName() + "' follows '" + name + "'; expected '" + pngName + "'");
        }
        byte[] pngBytes = content(png);
        DatasetSample sample;
        try {
            sample = DatasetSample.fromJson(jsonBytes, pngBytes, neighbours);
        } catch (IllegalArgumentException e) {
            throw malformed("entry '" + name + "' is not a valid sample: " + e.getMessage());
        }
        if (!sample.uid().equals(uid)) throw malformed("entry '" + name + "' holds uid '" + sample.uid() + "'");
        return sample;
    }

    private TarArchiveEntry nextEntry(String after) {
        try {
            TarArchiveEntry e = tar.getNextEntry();
            if (e != null && !e.isFile()) throw malformed("entry '" + e.getName() + "' is not a regular file");
            return e;
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read the entry " + (after == null ? "at the start or after a sample" : "after '" + after + "'")
                    + ": " + e.getMessage(), e);
        }
    }

    private byte[] content(TarArchiveEntry e) {
        if (e.getSize() > MAX_ENTRY_BYTES) throw malformed("entry '" + e.getName() + "' declares " + e.getSize() + " bytes, more than any slice");
        try {
            byte[] b = tar.readNBytes((int) e.getSize());
            if (b.length != e.getSize()) {
                throw new IOException("truncated: " + b.length + " of " + e.getSize() + " bytes");
            }
            return b;
        } catch (IOException ex) {
            throw new UncheckedIOException(source + ": cannot read entry '" + e.getName() + "': " + ex.getMessage(), ex);
        }
    }

    // The key is the name without its known extension, not up to the first dot: UIDs contain dots.
    private static String key(String name, String extension) {
        return name.substring(0, name.length() - extension.length());
    }

    private IllegalStateException malformed(String reason) {
        return new IllegalStateException(source + ": " + reason);
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}

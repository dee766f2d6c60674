package dev.ich.core.dataset;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes one shard: a plain tar with {@code <uid>.json} then {@code <uid>.png} per sample, in the
 * order added; a sample with 2.5D context has its neighbours' PNGs between the two, as
 * {@code <uid>.context-<i>.png} (i = 0 .. 2 x context - 1, {@link SliceContext} order), so a shard without context
 * is byte for byte what it was before context existed. Entry metadata is fixed (mtime 0, owner 0/0 without names, mode 0644), so the same
 * samples always give the same bytes and a dataset version can be checked by hash. Closing closes
 * the stream.
 */
public final class ShardWriter implements Closeable {
    static final String JSON = ".json";
    static final String PNG = ".png";
    static final String CONTEXT = ".context-";
    private static final FileTime EPOCH = FileTime.fromMillis(0);

    private final TarArchiveOutputStream tar;
    private final Set<String> uids = new HashSet<>();

    public ShardWriter(OutputStream out) {
        tar = new TarArchiveOutputStream(out);
        // UIDs are at most 64 characters today, but a name over 100 must never fail mid-dataset.
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    public void add(DatasetSample sample) throws IOException {
        // Two samples under one key would merge into one in any WebDataset reader.
        if (!uids.add(sample.uid())) throw new IllegalArgumentException("sample " + sample.uid() + " is already in this shard");
        entry(sample.uid() + JSON, sample.json());
        for (int i = 0; i < sample.neighbours().size(); i++) entry(sample.uid() + CONTEXT + i + PNG, sample.neighbours().get(i));
        entry(sample.uid() + PNG, sample.png());
    }

    /** Samples written so far. */
    public int count() {
        return uids.size();
    }

    private void entry(String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setLastModifiedTime(EPOCH);
        e.setMode(0100644);
        e.setIds(0, 0);
        e.setUserName(""); // the default is the JVM's user.name, which would differ between machines
        e.setGroupName("");
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    @Override
    public void close() throws IOException {
        tar.close(); // finishes the archive (end blocks) first
    }
}

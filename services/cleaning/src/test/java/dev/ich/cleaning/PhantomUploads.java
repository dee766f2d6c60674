package dev.ich.cleaning;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.IngestSource;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * Plays ingest's part in the tests: phantom studies written to storage under raw/ exactly where ingest
 * puts them, and the dicom-ingested event ingest would publish for each slice.
 */
final class PhantomUploads {
    private PhantomUploads() {
    }

    /** Small phantoms (128 px, few slices): five studies meet every source quirk (Cohort's promise). */
    static PhantomSet generate(int studies, int slicesPerStudy, long seed, boolean shortPixelData) throws IOException {
        PhantomOptions options = PhantomOptions.of(studies, seed).withSlicesPerStudy(slicesPerStudy).withSize(128)
                .withShortPixelData(shortPixelData);
        return new PhantomGenerator(options).generate(Files.createTempDirectory("ich-cleaning-phantoms"));
    }

    static String rawKey(SliceTruth t) {
        return ObjectKeys.raw(t.studyInstanceUid(), t.seriesInstanceUid(), t.sopInstanceUid());
    }

    /** Stores the slice's file under its raw key and returns the event that announces it. */
    static DicomIngested upload(ObjectStore store, SliceTruth t) throws Exception {
        byte[] bytes = Files.readAllBytes(t.file());
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        store.put(rawKey(t), bytes, "application/dicom", Map.of("sha256", sha));
        return event(t, rawKey(t), sha, bytes.length);
    }

    static DicomIngested event(SliceTruth t, String objectKey, String sha, long size) {
        return new DicomIngested(t.sopInstanceUid(), t.studyInstanceUid(), t.seriesInstanceUid(), t.patientId(), objectKey,
                sha, size, "1.2.840.10008.1.2.1", IngestSource.UPLOAD, Instant.parse("2026-01-01T00:00:00Z"));
    }

    static Path file(SliceTruth t) {
        return t.file();
    }
}

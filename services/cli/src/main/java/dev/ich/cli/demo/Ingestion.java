package dev.ich.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.StorageSOPClassSCU;
import dev.ich.cli.send.Sender;
import dev.ich.core.storage.ObjectStore;
import me.tongfei.progressbar.ProgressBar;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The three ways into ingest, each as a client would use it: STOW-RS, DIMSE C-STORE, and a bulk import from the bucket. */
final class Ingestion {
    private final ServiceApi ingest;
    private final String dimseHost;
    private final int dimsePort;
    private final ObjectStore store;
    private final PrintStream progress;

    Ingestion(ServiceApi ingest, String dimse, ObjectStore store, PrintStream progress) {
        this.ingest = ingest;
        int colon = dimse.lastIndexOf(':');
        this.dimseHost = dimse.substring(0, colon);
        this.dimsePort = Integer.parseInt(dimse.substring(colon + 1));
        this.store = store;
        this.progress = progress;
    }

    /** What one way in achieved: files offered, and what ingest said about them (C-STORE: what the association said). */
    record Outcome(String way, int files, long stored, long duplicate, long failed, String detail) {
    }

    Outcome stow(List<Path> files, Path journal) throws Exception {
        Sender.Report r = new Sender(ingest.base(), ingest.credentials(), 4, 16, journal).send(files, progress);
        if (r.error() != null) throw new StepFailure("STOW-RS to " + ingest.base() + " stopped: " + r.error(), ingest.log().toString());
        return new Outcome("STOW-RS", files.size(), r.stored(), r.duplicate(), r.failed(),
                r.failures().isEmpty() ? "" : "failures: " + r.failures());
    }

    /**
     * One association, every file as its own C-STORE (PixelMed's SCU). Ingest answers each only after the instance and
     * its event are durable, with a failure status and the reason for what it refused (docs/dicom.md), so "stored" here
     * means stored.
     */
    Outcome cStore(List<Path> files) throws Exception {
        SetOfDicomFiles set = new SetOfDicomFiles();
        for (Path f : files) set.add(f.toFile());
        AtomicInteger completed = new AtomicInteger(), failed = new AtomicInteger(), warnings = new AtomicInteger();
        try (ProgressBar bar = Progress.bar("C-STORE", files.size(), " files", progress)) {
            new StorageSOPClassSCU(dimseHost, dimsePort, "ICH", "ICH-DEMO", set, 0, new MultipleInstanceTransferStatusHandler() {
                @Override
                public void updateStatus(int remaining, int done, int fail, int warn, String sop) {
                    completed.set(done);
                    failed.set(fail);
                    warnings.set(warn);
                    bar.stepTo(done + fail + warn);
                }
            }, 0);
        } catch (Exception e) {
            throw new StepFailure("C-STORE to " + dimseHost + ":" + dimsePort + " (AE ICH) failed: " + e.getMessage(), ingest.log().toString(), e);
        }
        if (completed.get() + warnings.get() == 0 && !files.isEmpty()) {
            throw new StepFailure("C-STORE to " + dimseHost + ":" + dimsePort + " stored nothing (" + failed.get() + " failed)",
                    ingest.log().toString());
        }
        return new Outcome("C-STORE", files.size(), completed.get() + warnings.get(), 0, failed.get(), "");
    }

    /** Copies the files into the bucket under {@code prefix}, imports them, and deletes the copies once ingest has them. */
    Outcome bulkImport(List<Path> files, Path root, String prefix) throws Exception {
        try (ProgressBar bar = Progress.bar("copy to S3", files.size(), " files", progress)) {
            for (Path f : files) {
                store.putFile(prefix + root.relativize(f).toString().replace('\\', '/'), f, "application/dicom");
                bar.step();
            }
        }
        String id = ingest.post("/imports", Map.of("bucket", store.bucket(), "prefix", prefix), 202).body().path("id").asText();
        JsonNode status;
        try (ProgressBar bar = Progress.bar("import", files.size(), " files", progress)) {
            status = Operations.await(ingest, "/imports/" + id, "bulk import " + id, bar, Duration.ofMillis(500));
        }
        for (Path f : files) store.delete(prefix + root.relativize(f).toString().replace('\\', '/'));
        JsonNode d = status.path("details");
        return new Outcome("bulk import", files.size(), d.path("stored").asLong(), d.path("duplicate").asLong(),
                d.path("failed").asLong(), d.path("failures").isEmpty() ? "" : "failures: " + d.path("failures"));
    }
}

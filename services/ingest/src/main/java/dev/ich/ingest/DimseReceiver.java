package dev.ich.ingest;

import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCPDispatcher;
import dev.ich.core.event.IngestSource;
import dev.ich.ingest.StoreOutcome.Rejected;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The DIMSE door: a C-STORE and C-ECHO receiver (PixelMed's dispatcher; PixelMed types stay in this
 * class) under the configured AE title and port. PixelMed writes each received instance to a spool
 * file, we hand its bytes to the {@link Ingestor} and delete it.
 * <p>Limit: PixelMed (20220618) builds the C-STORE response with status Success before it calls the
 * handler, and an exception from the handler breaks the association without any response (the sender
 * then hangs until its timeout). So a rejected instance is acknowledged as Success to the sender; it
 * is not stored, it is logged with its reason and counted in ich.ingest.rejections{source=c-store}.
 */
@ApplicationScoped
public class DimseReceiver {
    private static final Logger LOG = Logger.getLogger(DimseReceiver.class);

    @Inject
    Ingestor ingestor;
    @Inject
    IngestConfig config;

    private StorageSOPClassSCPDispatcher dispatcher;
    private Path spool;

    void onStart(@Observes StartupEvent event) throws IOException {
        IngestConfig.Dimse dimse = config.dimse();
        if (!dimse.enabled()) return;
        spool = Files.createTempDirectory("ich-ingest-dimse");
        dispatcher = new StorageSOPClassSCPDispatcher(dimse.port(), dimse.aeTitle(), spool.toFile(), new Handler());
        Thread t = new Thread(dispatcher, "ich-dimse-" + dimse.port());
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!dispatcher.isReady()) {
            if (System.nanoTime() > deadline) throw new IOException("DIMSE receiver did not start on port " + dimse.port());
            Thread.onSpinWait();
        }
        LOG.infof("C-STORE/C-ECHO receiver %s listening on port %d", dimse.aeTitle(), dimse.port());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (dispatcher != null) dispatcher.shutdown();
    }

    private final class Handler extends ReceivedObjectHandler {
        @Override
        public void sendReceivedObjectIndication(String fileName, String transferSyntax, String callingAeTitle)
                throws IOException {
            File file = new File(fileName);
            try {
                StoreOutcome outcome = ingestor.ingest(Files.readAllBytes(file.toPath()), IngestSource.C_STORE);
                if (outcome instanceof Rejected r) {
                    LOG.warnf("C-STORE from %s rejected, not stored: %s %s", callingAeTitle, r.code(), r.reason());
                }
            } finally {
                Files.deleteIfExists(file.toPath());
            }
        }
    }
}

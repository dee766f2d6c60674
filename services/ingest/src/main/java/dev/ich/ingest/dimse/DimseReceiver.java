package dev.ich.ingest.dimse;

import dev.ich.ingest.IngestConfig;
import dev.ich.ingest.IngestMetrics;
import dev.ich.ingest.Ingestor;
import dev.ich.ingest.Rejection;
import dev.ich.ingest.StoreOutcome;
import dev.ich.core.event.AuditRecord;
import dev.ich.core.event.IngestSource;
import dev.ich.ingest.dimse.AssociationGate.Refusal;
import dev.ich.ingest.StoreOutcome.Rejected;
import dev.ich.runtime.audit.AuditLog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The DIMSE door: a C-STORE and C-ECHO receiver under the configured AE title and port, plain TCP or
 * TLS ({@link DimseTls}). ich accepts the connection and reads the A-ASSOCIATE-RQ itself, so that an
 * unknown calling AE title or a called AE title other than ours is rejected at association
 * ({@link AssociationGate}), logged with the remote address and counted in
 * {@code ich_ingest_dimse_associations_rejected_total{reason}}; an admitted association runs on its own
 * thread in {@link CStoreScp}, which answers each C-STORE only after the {@link Ingestor} has decided and,
 * for a stored instance, its event is durable ({@link Ingestor#ingestAcknowledged}): Success for a stored
 * instance or an identical duplicate, otherwise the failure status of its {@link Rejection} with the reason
 * in Error Comment. An unexpected error aborts the association. Each C-STORE leaves one audit record whose
 * outcome is the HTTP status that means the same (200, 4xx, 503, 500 for an internal error).
 */
@ApplicationScoped
public class DimseReceiver {
    private static final Logger LOG = Logger.getLogger(DimseReceiver.class);
    /** An A-ASSOCIATE-RQ is a few hundred bytes to a few KiB; a bigger first PDU is not one ich will read. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** A connection that sends no request within this time is closed, so it cannot hold a thread. */
    private static final int REQUEST_TIMEOUT_MS = 30_000;

    @Inject
    Ingestor ingestor;
    @Inject
    AuditLog audit;
    @Inject
    IngestConfig config;
    @Inject
    IngestMetrics metrics;

    private volatile ServerSocket server;
    private ExecutorService associations;
    private AssociationGate gate;
    private CStoreScp scp;

    void onStart(@Observes StartupEvent event) throws IOException {
        IngestConfig.Dimse dimse = config.dimse();
        if (!dimse.enabled()) return;
        gate = new AssociationGate(dimse.aeTitle(), dimse.allowedCallingAeTitles().orElse(Set.of()));
        logAllowlist();
        scp = new CStoreScp(dimse.aeTitle(), config.maxInstanceBytes(), dimse.readTimeout());
        InetAddress bind = dimse.host().isPresent() ? InetAddress.getByName(dimse.host().get()) : null; // null: every interface
        server = dimse.tls().enabled() ? DimseTls.serverSocket(bind, dimse.port(), dimse.tls()) : new ServerSocket(dimse.port(), 50, bind);
        AtomicInteger n = new AtomicInteger();
        associations = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ich-dimse-association-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::acceptLoop, "ich-dimse-" + dimse.port());
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.infof("C-STORE/C-ECHO receiver %s listening on %s port %d (%s)", dimse.aeTitle(), dimse.host().orElse("every interface,"), dimse.port(),
                dimse.tls().enabled() ? "TLS " + String.join("/", dimse.tls().protocols()) : "plain TCP");
    }

    private void logAllowlist() {
        if (gate.admitsAnyone()) {
            LOG.warn("ich.ingest.dimse.allowed-calling-ae-titles is '*': any sender that knows the called AE title may"
                    + " store instances over C-STORE");
        } else if (gate.allowed().isEmpty()) {
            LOG.warn("ich.ingest.dimse.allowed-calling-ae-titles (ICH_INGEST_DIMSE_ALLOWED_CALLING_AE_TITLES) is empty:"
                    + " every C-STORE association will be rejected until it names the senders' AE titles");
        } else {
            LOG.infof("C-STORE calling AE titles allowed (ich.ingest.dimse.allowed-calling-ae-titles): %s",
                    String.join(",", gate.allowed().stream().sorted().toList()));
        }
    }

    void onStop(@Observes ShutdownEvent event) throws IOException {
        ServerSocket s = server;
        server = null;
        if (s != null) s.close();
        if (associations != null) associations.shutdownNow();
    }

    private void acceptLoop() {
        while (server != null) {
            try {
                Socket socket = server.accept();
                associations.execute(() -> handle(socket));
            } catch (IOException e) {
                if (server != null) LOG.warnf("DIMSE accept failed: %s", e.getMessage());
            }
        }
    }

    /** Reads and judges the A-ASSOCIATE-RQ, then rejects, or runs the association. */
    private void handle(Socket socket) {
        String remote = String.valueOf(socket.getRemoteSocketAddress());
        try (socket) {
            socket.setSoTimeout(REQUEST_TIMEOUT_MS);
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(6);
            if (header.length < 6 || header[0] != 0x01) {
                LOG.debugf("DIMSE connection from %s closed: no A-ASSOCIATE-RQ", remote);
                return;
            }
            long length = (header[2] & 0xffL) << 24 | (header[3] & 0xffL) << 16 | (header[4] & 0xffL) << 8 | header[5] & 0xffL;
            if (length < 68 || length > MAX_REQUEST_BYTES) {
                refuse(socket, Refusal.MALFORMED_REQUEST, remote, "?", "?");
                return;
            }
            byte[] body = in.readNBytes((int) length);
            if (body.length < length) return;
            AssociationGate.Request request = AssociationGate.parse(body);
            Optional<Refusal> refusal = gate.judge(request);
            if (refusal.isPresent()) {
                refuse(socket, refusal.get(), remote, request.calling(), request.called());
                return;
            }
            byte[] seen = new byte[header.length + body.length];
            System.arraycopy(header, 0, seen, 0, header.length);
            System.arraycopy(body, 0, seen, header.length, body.length);
            // Runs the association to its end on this thread: negotiation, C-ECHO, C-STORE, release.
            scp.run(new PrefixedSocket(socket, seen), remote, new Instances(request.calling(), remote));
        } catch (Exception e) {
            LOG.warnf("DIMSE association from %s failed: %s", remote, e.getMessage());
        }
    }

    private void refuse(Socket socket, Refusal refusal, String remote, String calling, String called) throws IOException {
        socket.getOutputStream().write(AssociationGate.reject(refusal));
        socket.getOutputStream().flush();
        LOG.warnf("C-STORE association from %s rejected (A-ASSOCIATE-RJ reason %d, %s): calling AE title '%s', called AE"
                + " title '%s'; ours is '%s', allowed callers are set by ich.ingest.dimse.allowed-calling-ae-titles",
                remote, refusal.reason, refusal.metric, calling, called, config.dimse().aeTitle());
        metrics.associationRejected(refusal.metric);
        audited("A-ASSOCIATE", "E", calling, remote, 403, Map.of("calledAeTitle", List.of(called)));
    }

    /**
     * The DICOM door's audit record, in the same trail as the HTTP doors': the agent is the calling AE title and its
     * address (DIMSE has no token), the outcome the HTTP status that means the same (200 stored, 403 refused, ...).
     */
    private void audited(String action, String fhirAction, String calling, String remote, int status, Map<String, List<String>> entities) {
        audit.write(new AuditRecord(UUID.randomUUID().toString(), Instant.now(), audit.service(), action, fhirAction, "dimse:"
                + config.dimse().aeTitle(), new AuditRecord.Agent("AE:" + calling, null, List.of(), host(remote)),
                AuditRecord.Outcome.of(status), entities));
    }

    private static String host(String remote) {
        String r = remote.startsWith("/") ? remote.substring(1) : remote;
        int colon = r.lastIndexOf(':');
        return colon > 0 ? r.substring(0, colon) : r;
    }

    /** The C-STOREs of one association: ingested durably, logged when refused, audited one by one. */
    private final class Instances implements CStoreScp.Instances {
        private final String calling;
        private final String remote;

        Instances(String calling, String remote) {
            this.calling = calling;
            this.remote = remote;
        }

        @Override
        public StoreOutcome store(byte[] part10, String sopClassUid, String sopInstanceUid) {
            try {
                return recorded(ingestor.ingestAcknowledged(part10, IngestSource.C_STORE), sopInstanceUid);
            } catch (RuntimeException e) {
                DimseReceiver.this.audited("C-STORE", "C", calling, remote, 500,
                        sopInstanceUid == null ? Map.of() : Map.of("instance", List.of(sopInstanceUid)));
                throw e;
            }
        }

        @Override
        public StoreOutcome tooLarge(long bytes, String sopClassUid, String sopInstanceUid) {
            Rejected r = new Rejected(sopClassUid, sopInstanceUid, Rejection.TooLarge, "instance of more than "
                    + config.maxInstanceBytes() + " bytes exceeds the limit (ich.ingest.max-instance-bytes)");
            metrics.rejected(IngestSource.C_STORE, Rejection.TooLarge);
            return recorded(r, sopInstanceUid);
        }

        /** Logs a refusal and writes the C-STORE's audit record; returns the outcome for the response. */
        private StoreOutcome recorded(StoreOutcome outcome, String requested) {
            if (outcome instanceof Rejected r) {
                LOG.warnf("C-STORE from %s (%s) refused, not acknowledged (status 0x%04X): %s %s", calling, remote,
                        r.code().dimseStatus(), r.code(), r.reason());
            }
            Map<String, List<String>> touched = new LinkedHashMap<>();
            if (outcome instanceof StoreOutcome.Stored s) {
                touched.put("study", List.of(s.event().studyInstanceUid()));
                touched.put("series", List.of(s.event().seriesInstanceUid()));
            }
            String sop = outcome.sopInstanceUid() != null ? outcome.sopInstanceUid() : requested;
            if (sop != null) touched.put("instance", List.of(sop));
            DimseReceiver.this.audited("C-STORE", "C", calling, remote,
                    outcome instanceof Rejected r ? r.code().httpStatus() : 200, touched);
            return outcome;
        }
    }
}

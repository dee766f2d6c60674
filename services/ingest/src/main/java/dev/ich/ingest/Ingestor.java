package dev.ich.ingest;

import dev.ich.ingest.dicomweb.DicomWebIndex;
import dev.ich.core.dicom.DicomHeader;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.IngestSource;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.core.storage.StoredObject;
import dev.ich.ingest.StoreOutcome.Duplicate;
import dev.ich.ingest.StoreOutcome.Rejected;
import dev.ich.ingest.StoreOutcome.Stored;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way an instance enters ich, whichever door it came through: read the header, validate,
 * de-identify (on unless switched off, see {@link Deidentifier}), de-duplicate (same SOP Instance UID
 * and same stored data set, see {@link DatasetDigest}: de-identification is deterministic, so a re-sent
 * instance de-identifies to the same bytes), store at {@code raw/<study>/<series>/<sop>.dcm}, and only then
 * announce it on {@code dicom-ingested}, so no event ever points at a missing object.
 */
@ApplicationScoped
public class Ingestor {
    public static final String DICOM = "application/dicom";
    /** Striped locks: two uploads of one SOP Instance UID must not both pass the duplicate check. */
    private final ReentrantLock[] stripes = new ReentrantLock[64];
    /** Objects put under each stripe so far: a duplicate check that went out before one of them is made again. */
    private final AtomicLongArray puts = new AtomicLongArray(stripes.length);

    @Inject
    IngestConfig config;
    @Inject
    ObjectStore store;
    @Inject
    IngestedPublisher publisher;
    @Inject
    PendingEvents pending;
    @Inject
    IngestMetrics metrics;
    @Inject
    StudyCompletion studies;
    @Inject
    DicomWebIndex index;

    private Admission admission;
    private Deidentifier deidentifier;

    @PostConstruct
    void init() {
        for (int i = 0; i < stripes.length; i++) stripes[i] = new ReentrantLock();
        admission = new Admission(config.maxInstanceBytes(), config.allowedModalities(), config.acceptRsnaIds());
        IngestConfig.Deidentify deid = config.deidentify();
        if (DeidentifyAtStart.check(deid.enabled(), deid.key())) {
            deidentifier = new Deidentifier(deid.key().orElseThrow(), deid.dates(), deid.keepPatientCharacteristics());
        }
    }

    public StoreOutcome ingest(byte[] bytes, IngestSource source) {
        return ingest(bytes, source, null);
    }

    /**
     * As {@link #ingest(byte[], IngestSource)}; a non-null {@code study} refuses instances of other studies. {@link Stored}
     * (and {@link Duplicate}) only once the instance's event is acknowledged by the broker within
     * {@code ich.ingest.publish.ack-timeout} or written to its pending marker: what a client was told is stored is
     * announced, even if this process dies the next moment.
     */
    public StoreOutcome ingest(byte[] bytes, IngestSource source, String study) {
        return begin(bytes, source, study).outcome();
    }

    /**
     * {@link #ingest(byte[], IngestSource, String)} in two halves, for a door with many instances in flight (STOW-RS): this
     * one checks, stores and sends the event without waiting for the broker, and keeps nothing of the bytes; the returned
     * {@link Ingestion#outcome()} waits for the acknowledgement (at most {@code ich.ingest.publish.ack-timeout} from the
     * send) or else writes the pending marker, and only then says {@link Stored}. A caller awaits all its instances'
     * acknowledgements together, and tells its sender nothing before each outcome() returned.
     */
    public Ingestion begin(byte[] bytes, IngestSource source, String study) {
        Announced announced = decide(bytes, source, study, config.publish().ackTimeout());
        return () -> counted(source, settle(announced));
    }

    /**
     * As {@link #ingest(byte[], IngestSource)}, for a door whose sender deletes its copy once told "stored"
     * (DIMSE C-STORE): returns {@link Stored} only after the object is stored and its event acknowledged
     * by the broker (within {@code ich.ingest.dimse.ack-timeout}) or written to its pending marker in the
     * bucket ({@link PendingEvents}). When neither could be done the object stays stored but the outcome is
     * {@link Rejection#StorageFailed}, so the sender tries again later; that retry, a duplicate, is
     * acknowledged once the queued event's marker can be written.
     */
    public StoreOutcome ingestAcknowledged(byte[] bytes, IngestSource source) {
        StoreOutcome outcome = settle(decide(bytes, source, null, config.dimse().ackTimeout()));
        if (outcome instanceof Duplicate d && !pending.recorded(d.sopInstanceUid())) {
            outcome = unrecorded(d.sopClassUid(), d.sopInstanceUid());
        }
        return counted(source, outcome);
    }

    /** An instance on its way in whose outcome may still wait for the broker; {@link #outcome()} is called once. */
    @FunctionalInterface
    public interface Ingestion {
        /** The final outcome, once the instance's event is as durable as its door promises (blocks until then). */
        StoreOutcome outcome();
    }

    /**
     * What {@link #decide} found: {@code ifDurable} is the outcome once {@code ack} (null: nothing was sent, the outcome is
     * final) completes; when it fails, the event goes to its pending marker.
     */
    private record Announced(StoreOutcome ifDurable, DicomIngested event, String id, CompletableFuture<Void> ack) {
        static Announced settled(StoreOutcome outcome) {
            return new Announced(outcome, null, null, null);
        }
    }

    private StoreOutcome counted(IngestSource source, StoreOutcome outcome) {
        if (outcome instanceof Stored s) metrics.stored(source, s.event().size());
        else if (outcome instanceof Duplicate) metrics.duplicate(source);
        else if (outcome instanceof Rejected r) metrics.rejected(source, r.code());
        return outcome;
    }

    private Announced decide(byte[] bytes, IngestSource source, String study, Duration ackTimeout) {
        Admission.Verdict verdict = admission.judge(bytes, source.wire(), study);
        if (verdict.rejected() != null) return Announced.settled(verdict.rejected());
        DicomHeader header = verdict.admitted().header();
        String key = verdict.admitted().objectKey();
        String sopClass = header.sopClassUid();
        String sop = header.sopInstanceUid();
        String patientKey = header.patientId();
        int stripe = stripe(sop);
        // The duplicate check goes out now and is answered while this thread de-identifies and digests the instance.
        long putsSeen = puts.get(stripe);
        CompletableFuture<Optional<StoredObject>> existing = store.statAsync(key);
        if (deidentifier != null) {
            try {
                bytes = deidentifier.deidentify(bytes, header.patientId());
                patientKey = deidentifier.patientKey(header.patientId());
            } catch (DicomReadException e) {
                return Announced.settled(new Rejected(sopClass, sop, Rejection.UnreadableDicom, "cannot de-identify: " + e.reason()));
            }
        }
        DatasetDigest.Both digests = DatasetDigest.both(bytes);
        DicomIngested event = new DicomIngested(sop, header.studyInstanceUid(), header.seriesInstanceUid(), patientKey,
                key, digests.sha256(), bytes.length, header.transferSyntaxUid(), source, Instant.now());
        try {
            return storeOnce(bytes, sopClass, event, digests.dataset(), stripe, putsSeen, existing, ackTimeout);
        } catch (StorageException e) {
            return Announced.settled(new Rejected(sopClass, sop, Rejection.StorageFailed, "object storage failed, nothing was"
                    + " stored; send again later (" + e.getMessage() + ")"));
        }
    }

    private Announced storeOnce(byte[] bytes, String sopClass, DicomIngested event, String dataset, int stripe, long putsSeen,
                                CompletableFuture<Optional<StoredObject>> existingAtStart, Duration ackTimeout) {
        ReentrantLock lock = stripes[stripe];
        lock.lock();
        boolean locked = true;
        try {
            // An object put under this stripe since the check went out may be this very instance, sent twice at once.
            StoredObject existing = (puts.get(stripe) == putsSeen ? joined(existingAtStart) : store.stat(event.objectKey())).orElse(null);
            if (existing != null && sameInstance(existing, event.sha256(), dataset)) {
                // Announced again under the same id: if the process that stored it died before its event was durable,
                // the sender's retry is what brings the event about; consumers skip the repeat otherwise.
                DicomIngested stored = new DicomIngested(event.sopInstanceUid(), event.studyInstanceUid(), event.seriesInstanceUid(),
                        event.patientKey(), event.objectKey(), existing.sha256(), existing.size(), event.transferSyntaxUid(),
                        event.source(), event.receivedAt());
                lock.unlock();
                locked = false;
                return announce(stored, new Duplicate(sopClass, event.sopInstanceUid(), event.objectKey(), existing.sha256()), ackTimeout);
            }
            if (existing != null) {
                return Announced.settled(new Rejected(sopClass, event.sopInstanceUid(), Rejection.ConflictingContent, "SOP Instance UID "
                        + event.sopInstanceUid() + " is already stored with different content (sha256 "
                        + existing.sha256() + ", this one " + event.sha256() + "); a changed instance needs a new UID"));
            }
            store.put(event.objectKey(), bytes, DICOM, Map.of(StoredObject.SHA256, event.sha256(),
                    DatasetDigest.METADATA_KEY, dataset));
            puts.incrementAndGet(stripe);
        } finally {
            if (locked) lock.unlock();
        }
        // The study's round counts the object even when its event could not be recorded: the object is there.
        studies.stored(event);
        Announced announced = announce(event, new Stored(sopClass, event), ackTimeout);
        // Searchable before the sender hears "stored" (that waits for the event); written while the broker acknowledges.
        index.stored(event.objectKey(), bytes);
        return announced;
    }

    private static Optional<StoredObject> joined(CompletableFuture<Optional<StoredObject>> stat) {
        try {
            return stat.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StorageException s) throw s;
            throw new StorageException("the duplicate check failed: " + e.getCause(), e.getCause());
        }
    }

    private int stripe(String sop) {
        return Math.floorMod(sop.hashCode(), stripes.length);
    }

    private static Rejected unrecorded(String sopClass, String sop) {
        return new Rejected(sopClass, sop, Rejection.StorageFailed, "stored, but neither Kafka nor object storage"
                + " took its dicom-ingested event; send again later");
    }

    /**
     * Same bytes, or the same data set under another file meta header. Objects stored before ingest
     * recorded {@code dataset-sha256} (or put there by other tools) are fetched and digested: rare and
     * only on a file-digest mismatch, so the common paths stay one HEAD request.
     */
    private boolean sameInstance(StoredObject existing, String sha256, String dataset) {
        if (sha256.equals(existing.sha256())) return true;
        String stored = existing.metadata().get(DatasetDigest.METADATA_KEY);
        if (stored == null) stored = DatasetDigest.of(store.get(existing.key()));
        return dataset.equals(stored);
    }

    /**
     * Sends the event without waiting; {@link #settle} waits for the broker's ack, else the event goes to
     * {@link PendingEvents} and counts as announced once its marker is written. No door says "stored" before that: a process
     * killed between the store and the event leaves a sender without an answer, whose retry (a duplicate) announces it.
     * While events already wait there the broker is known not to answer: the marker is written at once, so each instance
     * of an outage does not cost a full ack timeout. The id follows from the instance (SOP Instance UID and digest), so
     * every retry and re-announcement carries it.
     */
    private Announced announce(DicomIngested event, StoreOutcome ifDurable, Duration ackTimeout) {
        String id = CloudEvents.idFor(DicomIngested.TYPE, event.sopInstanceUid(), event.sha256());
        if (pending.size() > 0) {
            boolean recorded = pending.add(event, id, new IllegalStateException(pending.size() + " earlier events still wait for Kafka"));
            return Announced.settled(recorded ? ifDurable : unrecorded(ifDurable.sopClassUid(), event.sopInstanceUid()));
        }
        CompletableFuture<Void> ack;
        try {
            ack = publisher.sendAsync(event, id, ackTimeout);
        } catch (RuntimeException e) {
            ack = CompletableFuture.failedFuture(e);
        }
        return new Announced(ifDurable, event, id, ack);
    }

    /** The outcome once the event is acknowledged, or else recorded in its pending marker (or neither: unrecorded). */
    private StoreOutcome settle(Announced announced) {
        if (announced.ack() == null) return announced.ifDurable();
        try {
            announced.ack().join();
            return announced.ifDurable();
        } catch (CompletionException | CancellationException e) {
            Throwable why = e.getCause() != null ? e.getCause() : e;
            return pending.add(announced.event(), announced.id(), why) ? announced.ifDurable()
                    : unrecorded(announced.ifDurable().sopClassUid(), announced.event().sopInstanceUid());
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

package dev.ich.ingest;

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
    static final String DICOM = "application/dicom";
    /** Striped locks: two uploads of one SOP Instance UID must not both pass the duplicate check. */
    private final ReentrantLock[] stripes = new ReentrantLock[64];

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
        return counted(source, decide(bytes, source, study, event -> announceDurably(event, config.publish().ackTimeout())));
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
        StoreOutcome outcome = decide(bytes, source, null, event -> announceDurably(event, config.dimse().ackTimeout()));
        if (outcome instanceof Duplicate d && !pending.recorded(d.sopInstanceUid())) {
            outcome = unrecorded(d.sopClassUid(), d.sopInstanceUid());
        }
        return counted(source, outcome);
    }

    private StoreOutcome counted(IngestSource source, StoreOutcome outcome) {
        if (outcome instanceof Stored s) metrics.stored(source, s.event().size());
        else if (outcome instanceof Duplicate) metrics.duplicate(source);
        else if (outcome instanceof Rejected r) metrics.rejected(source, r.code());
        return outcome;
    }

    /** How a stored instance's event is made known: true once that is as durable as the door needs. */
    private interface Announcement {
        boolean announce(DicomIngested event);
    }

    private StoreOutcome decide(byte[] bytes, IngestSource source, String study, Announcement announcement) {
        Admission.Verdict verdict = admission.judge(bytes, source.wire(), study);
        if (verdict.rejected() != null) return verdict.rejected();
        DicomHeader header = verdict.admitted().header();
        String key = verdict.admitted().objectKey();
        String sopClass = header.sopClassUid();
        String sop = header.sopInstanceUid();
        String patientKey = header.patientId();
        if (deidentifier != null) {
            try {
                bytes = deidentifier.deidentify(bytes, header.patientId());
                patientKey = deidentifier.patientKey(header.patientId());
            } catch (DicomReadException e) {
                return new Rejected(sopClass, sop, Rejection.UnreadableDicom, "cannot de-identify: " + e.reason());
            }
        }
        DicomIngested event = new DicomIngested(sop, header.studyInstanceUid(), header.seriesInstanceUid(), patientKey,
                key, sha256(bytes), bytes.length, header.transferSyntaxUid(), source, Instant.now());
        try {
            return storeOnce(bytes, sopClass, event, announcement);
        } catch (StorageException e) {
            return new Rejected(sopClass, sop, Rejection.StorageFailed, "object storage failed, nothing was stored; send"
                    + " again later (" + e.getMessage() + ")");
        }
    }

    private StoreOutcome storeOnce(byte[] bytes, String sopClass, DicomIngested event, Announcement announcement) {
        ReentrantLock lock = stripes[Math.floorMod(event.sopInstanceUid().hashCode(), stripes.length)];
        lock.lock();
        boolean locked = true;
        try {
            StoredObject existing = store.stat(event.objectKey()).orElse(null);
            String dataset = DatasetDigest.of(bytes);
            if (existing != null && sameInstance(existing, event.sha256(), dataset)) {
                // Announced again under the same id: if the process that stored it died before its event was durable,
                // the sender's retry is what brings the event about; consumers skip the repeat otherwise.
                DicomIngested stored = new DicomIngested(event.sopInstanceUid(), event.studyInstanceUid(), event.seriesInstanceUid(),
                        event.patientKey(), event.objectKey(), existing.sha256(), existing.size(), event.transferSyntaxUid(),
                        event.source(), event.receivedAt());
                lock.unlock();
                locked = false;
                if (!announcement.announce(stored)) return unrecorded(sopClass, event.sopInstanceUid());
                return new Duplicate(sopClass, event.sopInstanceUid(), event.objectKey(), existing.sha256());
            }
            if (existing != null) {
                return new Rejected(sopClass, event.sopInstanceUid(), Rejection.ConflictingContent, "SOP Instance UID "
                        + event.sopInstanceUid() + " is already stored with different content (sha256 "
                        + existing.sha256() + ", this one " + event.sha256() + "); a changed instance needs a new UID");
            }
            store.put(event.objectKey(), bytes, DICOM, Map.of(StoredObject.SHA256, event.sha256(),
                    DatasetDigest.METADATA_KEY, dataset));
        } finally {
            if (locked) lock.unlock();
        }
        // Searchable before the sender hears "stored"; the study's round counts the object even when its event could not be
        // recorded: the object is there.
        index.stored(event.objectKey(), bytes);
        studies.stored(event);
        if (!announcement.announce(event)) return unrecorded(sopClass, event.sopInstanceUid());
        return new Stored(sopClass, event);
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
     * Publishes and waits for the broker's ack; else the event goes to {@link PendingEvents}, and counts as announced once
     * its marker is written. No door says "stored" before that: a process killed between the store and the event leaves
     * a sender without an answer, whose retry (a duplicate) announces it. While events already wait there the broker is
     * known not to answer: the marker is written at once, so each instance of an outage does not cost a full ack timeout.
     * The id follows from the instance (SOP Instance UID and digest), so every retry and re-announcement carries it.
     */
    private boolean announceDurably(DicomIngested event, Duration ackTimeout) {
        String id = CloudEvents.idFor(DicomIngested.TYPE, event.sopInstanceUid(), event.sha256());
        if (pending.size() > 0) {
            return pending.add(event, id, new IllegalStateException(pending.size() + " earlier events still wait for Kafka"));
        }
        try {
            publisher.send(event, id, ackTimeout);
            return true;
        } catch (RuntimeException e) {
            return pending.add(event, id, e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

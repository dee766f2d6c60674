package dev.ich.ingest;

import dev.ich.runtime.DaemonThreads;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.Events;
import dev.ich.core.event.StudyCompleted;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import dev.ich.runtime.PublishedEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Announces a study on {@code study-completed} once ingest has stored no new instance of it for the stable age
 * ({@code ich.ingest.study.stable-age}, default 60 s, like Orthanc's StableAge), so inference triages whole studies,
 * not the first slice that arrived.
 *
 * <p>Durability: the first stored instance of a round writes a small marker, {@code ingest/open-studies/<study>.json};
 * it is deleted after the broker acknowledged the completion. A restarted ingest reads the markers back and restarts
 * the stable-age clock of each, so no study is left unannounced by a crash (it completes one stable age after the
 * restart). The count and series in the event come from listing {@code raw/<study>/} at completion, so they include
 * instances other replicas stored; with several replicas each may announce the same study once: consumers treat the
 * latest event per study as the truth and triage idempotently.
 */
@ApplicationScoped
public class StudyCompletion {
    private static final Logger LOG = Logger.getLogger(StudyCompletion.class);
    @Inject
    @Channel(Topics.STUDY_COMPLETED)
    MutinyEmitter<String> emitter;
    @Inject
    ObjectStore store;
    @Inject
    IngestConfig config;
    @Inject
    MeterRegistry registry;

    /** A study in its current round: who it belongs to, when its round started, when its last instance arrived. */
    record Open(String patientKey, Instant first, Instant last) {
    }

    /** A completion the broker did not acknowledge: the next tick sends this very event again, same id, if its round is unchanged. */
    record Attempt(Open round, String id, StudyCompleted event, Instant at) {
    }

    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private final Map<String, Attempt> unacknowledged = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock = DaemonThreads.scheduler("ich-ingest-study-completion");
    private Clock time = Clock.systemUTC();

    void onStart(@Observes StartupEvent event) {
        registry.gauge("ich.ingest.studies.open", open, Map::size);
        Duration age = config.study().stableAge();
        long tick = Math.max(200, Math.min(5_000, age.toMillis() / 4));
        clock.execute(this::recover);
        clock.scheduleWithFixedDelay(this::completeStable, tick, tick, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        clock.shutdownNow();
    }

    /** A newly stored instance (not a duplicate): starts or extends its study's round. */
    public void stored(DicomIngested instance) {
        Instant now = time.instant();
        boolean[] first = {false};
        open.compute(instance.studyInstanceUid(), (study, was) -> {
            if (was == null) {
                first[0] = true;
                return new Open(instance.patientKey(), now, now);
            }
            return new Open(was.patientKey(), was.first(), now);
        });
        if (first[0]) writeMarker(instance.studyInstanceUid(), instance.patientKey(), now);
    }

    /** The CloudEvents id of {@code study}'s completion that waits for the broker's acknowledgement, if one does. */
    java.util.Optional<String> unacknowledgedId(String study) {
        return java.util.Optional.ofNullable(unacknowledged.get(study)).map(Attempt::id);
    }

    /** How many studies are waiting for their stable age. */
    public int openStudies() {
        return open.size();
    }

    private void writeMarker(String study, String patientKey, Instant first) {
        try {
            store.put(ObjectKeys.ingestOpenStudy(study), Events.JSON.writeValueAsBytes(Map.of("studyInstanceUid", study,
                    "patientKey", patientKey == null ? "" : patientKey, "firstStoredAt", first.toString())), "application/json", Map.of());
        } catch (Exception e) {
            // The study still completes from memory; only a restart before then would forget it.
            LOG.warnf("cannot write the open-study marker of %s (%s): it completes unless ingest restarts first", study, e.getMessage());
        }
    }

    /** Reads the open-study markers back: at start, and whenever a test plays a restart. */
    void recover() {
        try {
            int n = 0;
            for (StoredObject marker : store.list(ObjectKeys.INGEST_OPEN_STUDIES_PREFIX)) {
                // Markers only: an S3 endpoint may list a write in progress under another name (S3Proxy's temporary files).
                if (!marker.key().endsWith(".json")) continue;
                var json = Events.JSON.readTree(store.get(marker.key()));
                String study = json.path("studyInstanceUid").asText();
                Instant now = time.instant();
                Instant first = Instant.parse(json.path("firstStoredAt").asText(now.toString()));
                String patient = json.path("patientKey").asText("");
                if (open.putIfAbsent(study, new Open(patient.isEmpty() ? null : patient, first, now)) == null) n++;
            }
            if (n > 0) LOG.infof("%d open studies recovered from storage: each completes one stable age from now", n);
        } catch (Exception e) {
            LOG.warnf("cannot read open studies from storage yet (%s); retrying", e.getMessage());
            clock.schedule(this::recover, 5, TimeUnit.SECONDS);
        }
    }

    /** Announces every study whose last instance is older than the stable age. */
    void completeStable() {
        Instant now = time.instant();
        Duration age = config.study().stableAge();
        for (Map.Entry<String, Open> e : open.entrySet()) {
            if (Duration.between(e.getValue().last(), now).compareTo(age) < 0) continue;
            try {
                complete(e.getKey(), e.getValue(), now);
            } catch (RuntimeException ex) {
                // Kafka or storage down: the study stays open and the next tick tries again.
                LOG.warnf("study %s is complete but could not be announced yet: %s", e.getKey(), ex.getMessage());
            }
        }
    }

    private void complete(String study, Open round, Instant now) {
        Attempt earlier = unacknowledged.get(study);
        Attempt attempt = earlier != null && earlier.round().equals(round) ? earlier : new Attempt(round, CloudEvents.newId(),
                event(study, round, now), now);
        try {
            PublishedEvents.sendAndWait(emitter,
                    PublishedEvents.event(StudyCompleted.TYPE, study, attempt.event(), attempt.at()).withId(attempt.id()));
        } catch (Exception e) {
            // The broker may have taken it all the same: a retry of this round is the same event, so consumers see one.
            unacknowledged.put(study, attempt);
            throw new IllegalStateException("study-completed not acknowledged: " + e.getMessage(), e);
        }
        unacknowledged.remove(study);
        int instances = attempt.event().instances();
        int seriesCount = attempt.event().seriesUids().size();
        // Only the round that was announced ends: an instance that arrived meanwhile keeps the study open.
        if (open.remove(study, round)) store.delete(ObjectKeys.ingestOpenStudy(study));
        LOG.infof("study %s complete: %d instances in %d series, no new instance for %s", study, instances, seriesCount,
                config.study().stableAge());
    }

    /** The completion of {@code round}: count and series from what is stored under the study now. */
    private StudyCompleted event(String study, Open round, Instant now) {
        int instances = 0;
        TreeSet<String> series = new TreeSet<>();
        String prefix = ObjectKeys.rawStudy(study);
        for (StoredObject o : store.list(prefix)) {
            String rest = o.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || !rest.endsWith(".dcm")) continue;
            series.add(rest.substring(0, slash));
            instances++;
        }
        return new StudyCompleted(study, round.patientKey(), instances, java.util.List.copyOf(series), round.first(), round.last(), now);
    }
}

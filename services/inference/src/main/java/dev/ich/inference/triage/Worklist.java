package dev.ich.inference.triage;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.event.StudyPredicted;
import dev.ich.inference.InferenceConfig;
import dev.ich.runtime.CloudEventHeaders;
import dev.ich.runtime.RecentEventIds;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The triaged studies the worklist shows: the latest {@code study-predicted} record per study, most recent first, at
 * most {@code ich.inference.triage.worklist-size}. A materialised view of the topic: every replica consumes it in its
 * own group from the beginning, so each shows every replica's triages and a restarted one rebuilds its list (the
 * topic keeps its records for good: k8s/kafka/topics.yaml). The bucket's prediction.json files stay the truth of each
 * study; this is the index that makes the page a memory read instead of a bucket listing.
 */
@ApplicationScoped
public class Worklist {
    private static final Logger LOG = Logger.getLogger(Worklist.class);
    private static final ObjectReader EVENT = Events.reader(StudyPredicted.class);

    @Inject
    InferenceConfig config;

    private final LinkedHashMap<String, StudyPredicted> studies = new LinkedHashMap<>();
    private final RecentEventIds recent;

    @Inject
    public Worklist(MeterRegistry registry) {
        recent = RecentEventIds.counted(registry, "inference worklist", Topics.STUDY_PREDICTED);
    }

    /**
     * Channel {@code worklist} reads topic {@code study-predicted} (application.properties): this service also publishes
     * {@code study-predicted}, and one channel name cannot be both incoming and outgoing.
     */
    @Incoming("worklist")
    public void predicted(ConsumerRecord<String, String> record) {
        // Keyed by study, so a repeat would change nothing but the study's place among equals; skipped all the same.
        if (!recent.claim(CloudEventHeaders.id(record.headers()), record.key())) return;
        String payload = record.value();
        try {
            StudyPredicted event = EVENT.readValue(payload);
            if (event != null && event.studyInstanceUid() != null) add(event);
        } catch (java.io.IOException e) {
            // Not ours to dead-letter: the producer's consumers judge its records; the list just skips it.
            LOG.warnf("study-predicted record skipped by the worklist: %s", e.getMessage());
        }
    }

    synchronized void add(StudyPredicted event) {
        studies.remove(event.studyInstanceUid());
        studies.put(event.studyInstanceUid(), event);
        while (studies.size() > config.triage().worklistSize()) studies.remove(studies.keySet().iterator().next());
    }

    /** Flagged studies first, then by p(any) falling, then the untriaged; at most {@code limit}. */
    public synchronized List<StudyPredicted> ranked(int limit, boolean flaggedOnly) {
        return studies.values().stream().filter(s -> !flaggedOnly || flagged(s))
                .sorted(Comparator.comparing((StudyPredicted s) -> !flagged(s))
                        .thenComparing(s -> -score(s))
                        .thenComparing(StudyPredicted::predictedAt, Comparator.reverseOrder()))
                .limit(limit).toList();
    }

    public synchronized Optional<StudyPredicted> study(String uid) {
        return Optional.ofNullable(studies.get(uid));
    }

    /** Any label called positive at the operating point. */
    static boolean flagged(StudyPredicted s) {
        return s.positive() != null && s.positive().containsValue(true);
    }

    /** p(any), or the highest label probability of a model without {@code any}; -1 for an untriaged study. */
    static double score(StudyPredicted s) {
        Map<String, Double> p = s.probabilities();
        if (p == null || p.isEmpty()) return -1;
        return p.getOrDefault("any", p.values().stream().mapToDouble(Double::doubleValue).max().orElse(-1));
    }
}

package dev.ich.inference;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.StudyCompleted;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Given a study-completed that ingest sends again with its CloudEvents id (its first try's acknowledgement was lost),
 * then the study is triaged once: one study-predicted, no second triage or export. A new announcement triages again.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class RepeatedCompletionTest {

    @Test
    void aCompletionSentAgainWithItsIdIsTriagedOnce() throws Exception {
        String uid = "1.2.826.0.1.3680043.10.1137.999.77"; // nothing stored: triaged as unreadable, no model needed
        Instant now = Instant.now();
        StudyCompleted completed = new StudyCompleted(uid, "patient", 0, List.of(), now, now, now);
        String id = UUID.randomUUID().toString();
        try (TopicTap predicted = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.STUDY_PREDICTED);
             TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            producer.sendEvent(Topics.STUDY_COMPLETED, uid, completed, StudyCompleted.TYPE, id);
            await().atMost(Duration.ofSeconds(120)).until(() -> about(predicted, uid) == 1);
            double repeats = Management.metric("ich_events_repeated_total", "topic=\"study-completed\"");

            producer.sendEvent(Topics.STUDY_COMPLETED, uid, completed, StudyCompleted.TYPE, id);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    Management.metric("ich_events_repeated_total", "topic=\"study-completed\"") == repeats + 1);
            assertThat(about(predicted, uid)).as("study-predicted records").isEqualTo(1);

            producer.sendEvent(Topics.STUDY_COMPLETED, uid, completed, StudyCompleted.TYPE, UUID.randomUUID().toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> about(predicted, uid) == 2);
        }
    }

    private static long about(TopicTap tap, String uid) {
        return tap.records().stream().filter(r -> uid.equals(r.key())).count();
    }
}

package dev.ich.training;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.TrainingEvent;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A training event that arrives again with its CloudEvents id is not applied again; it is counted as a repeat. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class RepeatedTrainingEventTest {
    private static final String REPEATED = "ich_events_repeated_total";
    private static final String TOPIC = "topic=\"training-events\"";

    @Test
    void anEventSentTwiceUnderOneIdIsAppliedOnce() throws Exception {
        Map<String, Object> started = Map.of("jobId", "repeat-1", "kind", TrainingEvent.STARTED,
                "time", "2026-01-02T03:04:05Z");
        String id = UUID.randomUUID().toString();
        double before = Management.metric(REPEATED, TOPIC);
        try (TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            producer.sendEvent(Topics.TRAINING_EVENTS, "repeat-1", started, TrainingEvent.TYPE, id);
            producer.sendEvent(Topics.TRAINING_EVENTS, "repeat-1", started, TrainingEvent.TYPE, id);
            await().atMost(Duration.ofSeconds(30)).until(() -> Management.metric(REPEATED, TOPIC) == before + 1);
            // a new event about the same job is no repeat
            producer.sendEvent(Topics.TRAINING_EVENTS, "repeat-1", started, TrainingEvent.TYPE, UUID.randomUUID().toString());
            producer.sendEvent(Topics.TRAINING_EVENTS, "repeat-1", started, TrainingEvent.TYPE, id);
            await().atMost(Duration.ofSeconds(30)).until(() -> Management.metric(REPEATED, TOPIC) == before + 2);
        }
        assertThat(Management.metric(REPEATED, TOPIC)).isEqualTo(before + 2);
    }
}

package dev.ich.cleaning;

import dev.ich.core.contract.Topics;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/** Stopping and resuming the consumer loses nothing; health and metrics tell an operator what is going on. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class OperationsTest {
    @Inject
    ChannelRegistry channels;

    /** Health and metrics are on the management interface (its URL ends in /q/), not the API port. */
    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void eventsSentWhileTheConsumerIsStoppedAreAllCleanedAfterItResumesAndTheirOffsetsCommitted() throws Exception {
        PhantomSet set = PhantomUploads.generate(1, 8, 93, false);
        PausableChannel consumer = channels.getPausable(Topics.DICOM_INGESTED);
        consumer.pause();
        try (TopicTap cleaned = new TopicTap(Topics.SLICES_CLEANED)) {
            List<String> sops = set.slices().stream().map(SliceTruth::sopInstanceUid).toList();
            for (SliceTruth t : set.slices()) {
                TopicTap.send(Topics.DICOM_INGESTED, PhantomUploads.upload(S3TestResource.store(), t), t.sopInstanceUid());
            }
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> cleaned.records().stream().noneMatch(r -> sops.contains(r.key())));

            consumer.resume();
            await().atMost(Duration.ofSeconds(60)).until(() -> cleaned.records().stream().map(r -> r.key())
                    .collect(Collectors.toSet()).containsAll(sops));
        } finally {
            // a failed assertion must not leave the shared application's consumer paused for the tests after it
            if (consumer.isPaused()) consumer.resume();
        }
        // At-least-once bookkeeping: once everything is done, the group's committed offsets reach the end.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lag(admin), lag -> lag == 0);
        }
    }

    @Test
    void healthIsUpWithStorageAndMetricsCountSlicesAndStages() throws Exception {
        given().baseUri(management.resolve("/").toString()).get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("object storage"));
        SliceTruth t = PhantomUploads.generate(1, 4, 94, false).slices().get(1);
        try (TopicTap cleaned = new TopicTap(Topics.SLICES_CLEANED)) {
            TopicTap.send(Topics.DICOM_INGESTED, PhantomUploads.upload(S3TestResource.store(), t), t.sopInstanceUid());
            await().atMost(Duration.ofSeconds(60)).until(() -> cleaned.forKey(t.sopInstanceUid()), r -> !r.isEmpty());
        }
        given().baseUri(management.resolve("/").toString()).get("/q/metrics").then().statusCode(200)
                .body(containsString("ich_cleaning_slices_total{outcome=\"kept\""))
                .body(containsString("ich_cleaning_stage_seconds_count{stage=\"read\""))
                .body(containsString("ich_cleaning_stage_seconds_count{stage=\"publish\""))
                .body(containsString("kafka_consumer_fetch_manager_records_lag"));
    }

    private static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("ich-cleaning")
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                .filter(tp -> tp.topic().equals(Topics.DICOM_INGESTED))
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get().entrySet()) {
            lag += e.getValue().offset() - committed.get(e.getKey()).offset();
        }
        return latest.isEmpty() ? -1 : lag;
    }
}

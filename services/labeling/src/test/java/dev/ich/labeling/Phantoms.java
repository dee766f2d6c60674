package dev.ich.labeling;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.SliceCleaned;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.testkit.CleanedPhantoms;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.restassured.RestAssured;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * One phantom cohort for the whole test run, cleaned by the core pipeline and published on
 * slices-cleaned once: every test class shares the service (Quarkus keeps it across classes) and the table.
 * Eight studies of 12 slices at 128 px meet every quirk and every bleed subtype (docs/phantoms.md).
 */
public final class Phantoms {
    private static CleanedPhantoms cohort;

    private Phantoms() {
    }

    public static synchronized CleanedPhantoms published() throws Exception {
        if (cohort == null) {
            PhantomOptions options = PhantomOptions.of(8, 5).withSlicesPerStudy(12).withSize(128).withShortPixelData(true)
                    .withPositiveRate(0.4);
            CleanedPhantoms c = CleanedPhantoms.create(S3TestResource.store(), options, 64);
            try (TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
                for (SliceCleaned e : c.events()) producer.sendJson(Topics.SLICES_CLEANED, e.sopInstanceUid(), e);
            }
            cohort = c;
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> RestAssured.given().queryParam("limit", 1).get("/slices")
                .then().statusCode(200).body("total", equalTo(cohort.events().size())));
        return cohort;
    }
}

package dev.ich.inference.serving;

import dev.ich.core.training.Architecture;
import dev.ich.core.training.Task;
import dev.ich.model.Classifier;
import dev.ich.model.ModelSpec;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batcher on a real network (an untrained ResNet-18 at 64 px, one predictor): given a 400-slice study queued, a
 * single slice submitted after it is answered within the next couple of forward passes, not after all 400; the
 * study alone still fills whole batches; and when the queue is full, the request holding the most images is the one
 * refused. Batches are counted, never timed. A {@code @QuarkusTest} although it needs no endpoint: libtorch's native
 * library binds to the first class loader that loads it, and in this module that is the test application's.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class BatcherFairnessTest {
    private static final int MAX_BATCH = 16;
    private static final ModelSpec SPEC = new ModelSpec(Architecture.RESNET18, Task.ANY, 1, 64, 0.25);
    private static Path weights;

    @BeforeAll
    static void network(@TempDir Path dir) throws Exception {
        weights = UntrainedNetwork.save(SPEC, 7, dir.resolve("weights"));
    }

    /** Forward passes in order: the listener runs on the predictor thread before the batch's futures complete. */
    private final AtomicInteger batches = new AtomicInteger();
    private final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());

    private Batcher batcher(int capacity) throws Exception {
        return new Batcher("fairness", List.of(Classifier.load(weights)), MAX_BATCH, Duration.ofMillis(5), capacity, (size, model, queued, threads) -> {
            sizes.add(size);
            batches.incrementAndGet();
        });
    }

    private static float[] image(int seed) {
        float[] x = new float[64 * 64];
        for (int i = 0; i < x.length; i++) x[i] = ((i * 31 + seed * 17) % 255) / 255f;
        return x;
    }

    /** The forward pass that answered the future: the count of passes when it completed (registered before it can). */
    private CompletableFuture<Integer> answeredIn(CompletableFuture<Batcher.Output> future) {
        return future.handle((o, e) -> batches.get());
    }

    @Test
    void aSingleSliceBehindA400SliceStudyRidesInTheNextBatches() throws Exception {
        try (Batcher batcher = batcher(1024)) {
            Batcher.Request study = batcher.request();
            List<CompletableFuture<Integer>> studyBatches = new ArrayList<>();
            for (int i = 0; i < 400; i++) studyBatches.add(answeredIn(study.submit(image(i))));
            int passesBefore = batches.get();
            int single = answeredIn(batcher.submit(image(999))).join();

            assertThat(single - passesBefore).as("the pass under way when it came, then the next one").isLessThanOrEqualTo(2);
            List<Integer> answered = studyBatches.stream().map(CompletableFuture::join).toList();
            assertThat(answered.stream().filter(b -> b > single).count()).as("study slices answered after the single one")
                    .isGreaterThanOrEqualTo(400 - 3L * MAX_BATCH);
            assertThat(answered).as("a request's own images in the order it sent them").isSorted();
            // Alone again, the study fills whole batches: every pass after the single one's is full but the last.
            List<Integer> after = sizes.subList(single, sizes.size());
            assertThat(after.subList(0, after.size() - 1)).isNotEmpty().allMatch(s -> s == MAX_BATCH);
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(401);
        }
    }

    @Test
    void whenTheQueueIsFullTheRequestHoldingTheMostIsRefusedNotTheNewcomer() throws Exception {
        int capacity = 64;
        try (Batcher batcher = batcher(capacity)) {
            Batcher.Request study = batcher.request();
            List<CompletableFuture<Batcher.Output>> studySlices = new ArrayList<>();
            // Far more than fit: the queue is full long before the predictor has finished its first pass.
            for (int i = 0; i < 10 * capacity; i++) studySlices.add(study.submit(image(i)));
            CompletableFuture<Batcher.Output> single = batcher.submit(image(999));

            assertThat(single.join().probabilities()).as("the newcomer is answered").hasSize(1);
            long refused = studySlices.stream().filter(f -> {
                try {
                    f.join();
                    return false;
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(Batcher.Overloaded.class);
                    return true;
                }
            }).count();
            assertThat(refused).as("the study, holding the most, gave up its newest places").isGreaterThan(0);
            assertThat(studySlices.size() - refused + 1).as("everything admitted was answered")
                    .isEqualTo(sizes.stream().mapToInt(Integer::intValue).sum());
        }
    }
}

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
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool adapts to its load, seen through what each pass reports (never through timing): given an idle pool of two
 * predictors and free cores, a single image runs on both cores' threads, and libtorch on that predictor's thread
 * really has two intra-op threads while another thread keeps one; when other processes hold the cores it runs on one;
 * a request's images sent together are split between the predictors, one thread each. A {@code @QuarkusTest} for
 * libtorch's sake, as {@link BatcherFairnessTest}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class AdaptivePoolTest {
    private static final ModelSpec SPEC = new ModelSpec(Architecture.RESNET18, Task.ANY, 1, 64, 0.25);
    private static Path weights;

    @BeforeAll
    static void network(@TempDir Path dir) throws Exception {
        weights = UntrainedNetwork.save(SPEC, 11, dir.resolve("weights"));
    }

    /** A pass as the listener saw it, on the predictor's thread right after it ran. */
    record Pass(int size, int threads, int libtorchThreads) {
    }

    private final List<Pass> passes = Collections.synchronizedList(new ArrayList<>());

    private Batcher pool(AtomicBoolean coresFree) throws Exception {
        return new Batcher("adaptive", List.of(Classifier.load(weights), Classifier.load(weights)), 16, Duration.ofMillis(5), 1024,
                new Batcher.Cores(1, 2, coresFree::get),
                (size, model, queued, threads) -> passes.add(new Pass(size, threads, TorchThreads.current())));
    }

    private static float[] image(int seed) {
        float[] x = new float[64 * 64];
        for (int i = 0; i < x.length; i++) x[i] = ((i * 13 + seed * 7) % 255) / 255f;
        return x;
    }

    @Test
    void aLoneImageOnAnIdlePoolRunsOnEveryCoreUnlessOtherProcessesHoldThem() throws Exception {
        AtomicBoolean coresFree = new AtomicBoolean(true);
        try (Batcher pool = pool(coresFree)) {
            Batcher.Output wide = pool.submit(image(1)).join();
            assertThat(wide.threads()).isEqualTo(2);
            assertThat(passes).containsExactly(new Pass(1, 2, 2));
            // The count is the predictor thread's own: a thread that set one keeps one.
            var other = Executors.newSingleThreadExecutor();
            try {
                assertThat(other.submit(() -> {
                    TorchThreads.use(1);
                    return TorchThreads.current();
                }).get()).isEqualTo(1);
            } finally {
                other.shutdown();
            }

            coresFree.set(false);
            Batcher.Output narrow = pool.submit(image(2)).join();
            assertThat(narrow.threads()).isEqualTo(1);
            assertThat(passes.get(passes.size() - 1).libtorchThreads()).as("the same predictor may answer: it went back to one").isEqualTo(1);
            assertThat(narrow.probabilities()).hasSize(1);
        }
    }

    @Test
    void aRequestsImagesSentTogetherAreSplitBetweenTheIdlePredictorsOnOneThreadEach() throws Exception {
        try (Batcher pool = pool(new AtomicBoolean(true))) {
            List<CompletableFuture<Batcher.Output>> four = pool.request().submitAll(List.of(image(1), image(2), image(3), image(4)));
            List<Batcher.Output> outputs = four.stream().map(CompletableFuture::join).toList();

            assertThat(passes.stream().mapToInt(Pass::size).sum()).isEqualTo(4);
            assertThat(passes).as("no predictor took the whole request while the other was free").allMatch(p -> p.size() <= 2);
            assertThat(passes.stream().filter(p -> p.size() > 1)).as("a split pass shares the cores: one thread")
                    .allMatch(p -> p.threads() == 1 && p.libtorchThreads() == 1);
            assertThat(outputs).allMatch(o -> o.probabilities().length == 1);
        }
    }

    @Test
    void samePixelsGetTheSameProbabilitiesOnOneThreadAndOnTwo() throws Exception {
        AtomicBoolean coresFree = new AtomicBoolean(true);
        try (Batcher pool = pool(coresFree)) {
            float[] wide = pool.submit(image(5)).join().probabilities();
            coresFree.set(false);
            float[] narrow = pool.submit(image(5)).join().probabilities();
            assertThat(wide[0]).isCloseTo(narrow[0], org.assertj.core.api.Assertions.within(1e-5f));
        }
    }
}

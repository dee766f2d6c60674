package dev.ich.inference;

import dev.ich.core.contract.Roles;
import dev.ich.inference.serving.ServedModel;
import dev.ich.inference.serving.Serving;
import dev.ich.model.Classifier;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code POST /bench/forward}: the served version's raw forward throughput in this process (as many separate copies
 * of the network as the service has predictors, each on its own thread; no HTTP, no preprocessing, no queue) at given batch sizes: the yardstick
 * {@code ./ich bench predict} holds the service's throughput against. Off unless {@code ich.inference.bench-endpoint}
 * is true (the local stack turns it on): it keeps the cores busy for its duration.
 */
@Path("/bench/forward")
@Produces(MediaType.APPLICATION_JSON)
public class BenchResource {
    /** At least this many timed batches per size, however long they take: two batches of 16 are no figure. */
    static final int MIN_BATCHES = 5;

    @Inject
    Serving serving;
    @Inject
    InferenceConfig config;

    /** {@code batches} over all copies; {@code msPerBatch} per copy. */
    public record Figure(int batch, int batches, double seconds, double imagesPerSecond, double msPerBatch) {
    }

    public record Answer(String model, String version, int channels, int imageSize, int predictors, String torchThreads, List<Figure> figures) {
    }

    @RolesAllowed({Roles.MODEL_ADMIN})
    @POST
    public Answer forward(@QueryParam("batch") @DefaultValue("1,4,16") String batches, @QueryParam("seconds") @DefaultValue("5") double seconds) {
        if (!config.benchEndpoint()) {
            throw new ApiProblem(404, "BenchDisabled", "the benchmark endpoint is off (ich.inference.bench-endpoint=false)");
        }
        if (!(seconds > 0 && seconds <= 120)) throw new ApiProblem(400, "BadSeconds", "seconds must be in (0, 120]");
        int[] sizes;
        try {
            sizes = Arrays.stream(batches.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new ApiProblem(400, "BadBatch", "batch must be a list of sizes such as 1,4,16");
        }
        for (int b : sizes) if (b < 1 || b > 256) throw new ApiProblem(400, "BadBatch", "batch sizes must be in 1..256, got " + b);
        ServedModel served = serving.current().orElseThrow(() -> new ApiProblem(503, "NoModel", serving.notReadyReason()));
        // The service's compute layout: as many copies as predictors, each on its own thread, all busy at once.
        int copies = config.predictorCount();
        List<Figure> figures = new ArrayList<>();
        List<Classifier> classifiers = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(copies);
        try {
            for (int i = 0; i < copies; i++) classifiers.add(serving.loader().loadClassifier(served.artifactKey(), served.name(), served.version()));
            int c = served.spec().channels(), side = served.spec().imageSize();
            SplittableRandom random = new SplittableRandom(1);
            for (int b : sizes) {
                float[] images = new float[b * c * side * side];
                for (int i = 0; i < images.length; i++) images[i] = (float) random.nextDouble();
                long budget = (long) (seconds * 1e9);
                List<Future<long[]>> runs = new ArrayList<>();
                for (Classifier classifier : classifiers) {
                    runs.add(threads.submit(() -> {
                        for (int w = 0; w < 3; w++) classifier.probabilities(images, b); // warm-up: allocation, kernel choice
                        long t0 = System.nanoTime();
                        long n = 0;
                        while (System.nanoTime() - t0 < budget || n < MIN_BATCHES) {
                            classifier.probabilities(images, b);
                            n++;
                        }
                        return new long[] {n, System.nanoTime() - t0};
                    }));
                }
                long batchesRun = 0;
                double perSecond = 0, longest = 0;
                for (Future<long[]> f : runs) {
                    long[] r = f.get();
                    batchesRun += r[0];
                    perSecond += r[0] * b / (r[1] / 1e9);
                    longest = Math.max(longest, r[1] / 1e9);
                }
                figures.add(new Figure(b, (int) batchesRun, longest, perSecond, copies * 1000.0 * b / perSecond));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(503, "Interrupted", "interrupted");
        } catch (ExecutionException e) {
            throw new ApiProblem(500, "BenchFailed", "the forward benchmark failed: " + e.getCause());
        } finally {
            threads.shutdownNow();
            classifiers.forEach(Classifier::close);
        }
        return new Answer(served.name(), served.version(), served.spec().channels(), served.spec().imageSize(),
                copies, System.getProperty("ai.djl.pytorch.num_threads"), figures);
    }
}

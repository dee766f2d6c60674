package dev.ich.inference;

import dev.ich.core.contract.Roles;
import dev.ich.inference.serving.ServedModel;
import dev.ich.inference.serving.Serving;
import dev.ich.inference.serving.TorchThreads;
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

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /bench/forward}: the served version's raw forward throughput in this process (as many separate copies
 * of the network as the service has predictors, each on its own thread; no HTTP, no preprocessing, no queue) at given
 * batch sizes: the yardstick {@code ./ich bench predict} holds the service's throughput against. {@code copies} and
 * {@code threads} measure other layouts (one copy on every core: the adaptive pool's pass alone, docs/inference.md). It keeps every core
 * busy for its duration (at most {@link #MAX_SECONDS} in all), starving predictions, so: off unless
 * {@code ich.inference.bench-endpoint} is true (only the local stack turns it on), {@code ich-admin} only, and one run
 * at a time.
 */
@Path("/bench/forward")
@Produces(MediaType.APPLICATION_JSON)
public class BenchResource {
    /** At least this many timed batches per size, however long they take: two batches of 16 are no figure. */
    static final int MIN_BATCHES = 5;
    /** The longest a call may keep the cores: seconds times batch sizes. */
    static final double MAX_SECONDS = 120;
    static final int MAX_SIZES = 8;

    private final AtomicBoolean running = new AtomicBoolean();

    @Inject
    Serving serving;
    @Inject
    InferenceConfig config;

    /** {@code batches} over all copies; {@code msPerBatch} per copy. */
    public record Figure(int batch, int batches, double seconds, double imagesPerSecond, double msPerBatch) {
    }

    public record Answer(String model, String version, int channels, int imageSize, int predictors, String torchThreads, int copies,
                         int threads, List<Figure> figures) {
    }

    @RolesAllowed({Roles.ADMIN})
    @POST
    @APIResponseSchema(value = Answer.class, responseDescription = "forward passes per second per batch size")
    @APIResponse(responseCode = "400", description = "batch, seconds, copies or threads out of range")
    @APIResponse(responseCode = "404", description = "the benchmark endpoint is off (ich.inference.bench-endpoint)")
    @APIResponse(responseCode = "409", description = "a forward benchmark is already running in this process")
    @APIResponse(responseCode = "503", description = "no model is served yet, or the run was interrupted")
    public Answer forward(@QueryParam("batch") @DefaultValue("1,4,16") String batches, @QueryParam("seconds") @DefaultValue("5") double seconds,
                          @QueryParam("copies") @DefaultValue("0") int copies, @QueryParam("threads") @DefaultValue("0") int threads) {
        if (!config.benchEndpoint()) {
            throw new ApiProblem(404, "BenchDisabled", "the benchmark endpoint is off: it keeps every core busy while it runs, so it "
                    + "answers only where ich.inference.bench-endpoint=true (environment ICH_INFERENCE_BENCH_ENDPOINT=true), which the "
                    + "local stack of ./ich up sets for ./ich bench predict; never turn it on where predictions serve patients");
        }
        int[] sizes;
        try {
            sizes = Arrays.stream(batches.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new ApiProblem(400, "BadBatch", "batch must be a list of sizes such as 1,4,16");
        }
        if (sizes.length > MAX_SIZES) throw new ApiProblem(400, "BadBatch", "at most " + MAX_SIZES + " batch sizes, got " + sizes.length);
        for (int b : sizes) if (b < 1 || b > 256) throw new ApiProblem(400, "BadBatch", "batch sizes must be in 1..256, got " + b);
        if (!(seconds > 0 && seconds * sizes.length <= MAX_SECONDS)) {
            throw new ApiProblem(400, "BadSeconds", "seconds is per batch size and the whole run takes at most " + (int) MAX_SECONDS
                    + " s: with " + sizes.length + " size(s), seconds must be in (0, "
                    + String.format(java.util.Locale.ROOT, "%.1f", MAX_SECONDS / sizes.length) + "]");
        }
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        if (copies < 0 || copies > config.predictorCount()) {
            throw new ApiProblem(400, "BadCopies", "copies must be in 1.." + config.predictorCount() + " (the service's predictors), or 0 for all"
                    + " of them; got " + copies, "copies", null);
        }
        if (threads < 0 || threads > cores) {
            throw new ApiProblem(400, "BadThreads", "threads (libtorch intra-op threads per copy) must be in 1.." + cores + " (the cores), or 0"
                    + " for ich.inference.torch-threads; got " + threads, "threads", null);
        }
        ServedModel served = serving.current().orElseThrow(() -> new ApiProblem(503, "NoModel", serving.notReadyReason()));
        if (!running.compareAndSet(false, true)) {
            throw new ApiProblem(409, "BenchRunning", "a forward benchmark is already running in this process: wait for its answer");
        }
        try {
            return measure(served, sizes, seconds, copies > 0 ? copies : config.predictorCount(), threads > 0 ? threads : TorchThreads.busy());
        } finally {
            running.set(false);
        }
    }

    private Answer measure(ServedModel served, int[] sizes, double seconds, int copies, int threads) {
        // By default the service's busy layout: as many copies as predictors, each on its own thread, all busy at once.
        List<Figure> figures = new ArrayList<>();
        List<Classifier> classifiers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(copies);
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
                    runs.add(pool.submit(() -> {
                        TorchThreads.use(threads);
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
            pool.shutdownNow();
            classifiers.forEach(Classifier::close);
        }
        return new Answer(served.name(), served.version(), served.spec().channels(), served.spec().imageSize(),
                config.predictorCount(), System.getProperty("ai.djl.pytorch.num_threads"), copies, threads, figures);
    }
}

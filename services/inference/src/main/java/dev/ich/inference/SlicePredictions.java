package dev.ich.inference;

import dev.ich.core.dicom.DicomProblem;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.inference.serving.Batcher;
import dev.ich.inference.serving.Preprocessing;
import dev.ich.inference.serving.PreprocessingPool;
import dev.ich.inference.serving.ServedModel;
import dev.ich.runtime.problem.ApiProblem;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Slices to predictions on one leased model version: preprocess (core's reader and cleaning, as trained), queue
 * for the batcher, wait. Shared by the ich API and the Open Inference Protocol resource.
 */
@ApplicationScoped
public class SlicePredictions {
    @Inject
    InferenceMetrics metrics;
    @Inject
    InferenceConfig config;
    @Inject
    PredictionsPublisher publisher;

    /**
     * Every slice is read and cleaned here, not on its request's thread: a study's slices in parallel, so they reach
     * the batcher together and share forward passes, and under load no more slices at once than the pool has threads.
     */
    private PreprocessingPool preprocessing;

    @PostConstruct
    void start() {
        if (config.preprocessThreads() < 0) {
            throw new IllegalArgumentException("ich.inference.preprocess-threads must be 0 (sized from the cores) or more; got "
                    + config.preprocessThreads());
        }
        preprocessing = new PreprocessingPool(config.preprocessThreadCount());
    }

    void onStop(@Observes ShutdownEvent event) {
        preprocessing.close();
    }

    /** One slice's answer. */
    public record SliceResult(String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid, Double position,
                              Long instanceNumber, Map<String, Double> probabilities, BrainWindow brainWindow, Timings timings) {
    }

    /** The notebooks' drop rule on this slice: cleaning would drop it when {@code passed} is false; it is answered anyway. */
    public record BrainWindow(boolean passed, double fraction, double threshold) {
    }

    /** {@code threads}: libtorch intra-op threads of the slice's pass (more than one: it ran alone on an idle pool). */
    public record Timings(double preprocessMs, double queueMs, double modelMs, int batchSize, int threads) {
    }

    /**
     * Preprocesses and predicts one DICOM slice; ApiProblem (4xx) when it is not a slice the model can read. Every answered
     * slice is published on {@code predictions} with {@code source} ({@link dev.ich.core.event.SlicePrediction#PREDICT}, ...).
     */
    public SliceResult predict(ServedModel model, byte[] dicom, String name, String source) {
        return join(predictAsync(model, model.batcher().request(), preprocessing.request(), dicom, name, source));
    }

    /**
     * Every slice of a study, preprocessed in parallel; each future fails alone with its ApiProblem. The slices are one
     * batcher request: they share forward passes fairly with other requests instead of queueing ahead of them.
     */
    public List<CompletableFuture<SliceResult>> predictAll(ServedModel model, List<byte[]> slices, List<String> names, String source) {
        Batcher.Request request = model.batcher().request();
        PreprocessingPool.Request slicesOfIt = preprocessing.request();
        List<CompletableFuture<SliceResult>> out = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) out.add(predictAsync(model, request, slicesOfIt, slices.get(i), names.get(i), source));
        return out;
    }

    private CompletableFuture<SliceResult> predictAsync(ServedModel model, Batcher.Request request, PreprocessingPool.Request turn,
                                                        byte[] dicom, String name, String source) {
        return turn.supply(() -> prepare(model, dicom, name)).thenCompose(p -> request.submit(p.image())
                .thenApply(o -> published(model, p, result(model, p, o), source)));
    }

    /** Preprocessing as {@link #predict} does it, with the same problems for a slice that cannot be read (explanations share it). */
    Preprocessing.Prepared prepare(ServedModel model, byte[] dicom, String name) {
        try {
            return model.preprocessing().prepare(dicom, name);
        } catch (DicomReadException e) {
            throw problem(e);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(422, "Unprocessable", "the slice cannot be preprocessed: " + e.getMessage());
        }
    }

    /** Probabilities of already-preprocessed images (N x C x H x W), one array of K per image. */
    public List<Batcher.Output> predictTensors(ServedModel model, float[] images, int n) {
        int size = images.length / n;
        List<float[]> each = new ArrayList<>(n);
        for (int i = 0; i < n; i++) each.add(java.util.Arrays.copyOfRange(images, i * size, (i + 1) * size));
        List<CompletableFuture<Batcher.Output>> futures = model.batcher().request().submitAll(each);
        List<Batcher.Output> out = new ArrayList<>();
        for (CompletableFuture<Batcher.Output> f : futures) {
            Batcher.Output o = join(f);
            metrics.predicted(model.labels(), o.probabilities());
            out.add(o);
        }
        return out;
    }

    private SliceResult published(ServedModel model, Preprocessing.Prepared p, SliceResult r, String source) {
        Timings t = r.timings();
        publisher.publish(model, p, r.probabilities(), t.preprocessMs() + t.queueMs() + t.modelMs(), source);
        return r;
    }

    private SliceResult result(ServedModel model, Preprocessing.Prepared p, Batcher.Output o) {
        metrics.predicted(model.labels(), o.probabilities());
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int k = 0; k < model.labels().size(); k++) probabilities.put(model.labels().get(k), (double) o.probabilities()[k]);
        return new SliceResult(p.sopInstanceUid(), p.studyInstanceUid(), p.seriesInstanceUid(), p.position(), p.instanceNumber(),
                probabilities, new BrainWindow(p.brainWindowPassed(), p.brainWindowFraction(), model.preprocessing().config().dropThreshold()),
                new Timings(p.nanos() / 1e6, o.queueNanos() / 1e6, o.modelNanos() / 1e6, o.batchSize(), o.threads()));
    }

    /** Waits for a future, turning its failure into the ApiProblem the caller answers with. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw asProblem(e.getCause());
        }
    }

    public static ApiProblem asProblem(Throwable t) {
        if (t instanceof CompletionException c && c.getCause() != null) t = c.getCause();
        if (t instanceof ApiProblem p) return p;
        if (t instanceof Batcher.Overloaded o) return new ApiProblem(503, "Overloaded", o.getMessage());
        return new ApiProblem(500, "PredictionFailed", "the prediction failed: " + t);
    }

    /**
     * DICOM problems as HTTP: not DICOM or cut short is a bad request; an image beyond the pixel limit too large; DICOM
     * that is no slice the model may read (another Modality, a decompression bomb, nesting too deep, colour, ...) is
     * unprocessable. The code is the problem's name, as ingest's rejection codes are.
     */
    static ApiProblem problem(DicomReadException e) {
        int status = switch (e.problem()) {
            case NotDicom, Truncated -> 400;
            case TooLarge -> 413;
            default -> 422;
        };
        String hint = e.problem() == DicomProblem.Colour || e.problem() == DicomProblem.MultiFrame
                ? " (the model reads single-frame greyscale CT slices)" : "";
        return new ApiProblem(status, e.problem().name(), e.reason() + hint);
    }
}

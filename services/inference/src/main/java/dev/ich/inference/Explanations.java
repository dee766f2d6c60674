package dev.ich.inference;

import dev.ich.core.clean.Channel;
import dev.ich.core.clean.Windows;
import dev.ich.inference.serving.Preprocessing;
import dev.ich.inference.serving.ServedModel;
import dev.ich.inference.serving.TorchThreads;
import dev.ich.model.explain.GradCam;
import dev.ich.model.explain.HeatmapOverlay;
import dev.ich.model.explain.Heatmaps;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grad-CAM explanations of single slices on a served model version: the slice is read and cleaned exactly as
 * {@code POST /predict} does it (the same code, the same problems for a slice it cannot read), then one gradient pass
 * runs on the version's own explainer copy of the network, never on a predictor the batcher is using. Passes are one at
 * a time in the process (DJL's PyTorch gradient collector allows no more), so explanations queue behind each other and
 * predictions do not wait for them. The caller holds a lease on {@code model} for the call ({@code Serving.lease()}).
 */
@ApplicationScoped
public class Explanations {
    @Inject
    SlicePredictions predictions;

    /** An explanation and what the HTTP answer says beside it. */
    record Explained(Explanation explanation, Map<String, Double> probabilities, Preprocessing.Prepared slice) {
    }

    /**
     * {@code label}: one of the model's labels ({@link ServedModel#labels()}), or null for the one with the highest
     * probability. 400 {@code UnknownLabel} naming the valid ones otherwise; the problems of {@code POST /predict} for a
     * body that is not a readable slice.
     */
    public Explanation explain(ServedModel model, byte[] dicom, String label) {
        return explainSlice(model, dicom, label, "explain").explanation();
    }

    Explained explainSlice(ServedModel model, byte[] dicom, String label, String name) {
        int index = labelIndex(model, label);
        Preprocessing.Prepared slice = predictions.prepare(model, dicom, name);
        int side = model.spec().imageSize();
        Heatmaps maps;
        try {
            TorchThreads.useBusy();
            maps = model.gradCam().compute(slice.image(), 1, index < 0 ? GradCam.mostProbable() : GradCam.label(index));
            // The pass bypasses the batcher: its probabilities are calibrated here, as the batcher's are. With a temperature
            // per label the most probable label may differ once calibrated: then the map is of that one.
            if (index < 0) {
                int top = argmax(model.calibrate(maps.probabilities()));
                if (top != maps.labels()[0]) maps = model.gradCam().compute(slice.image(), 1, GradCam.label(top));
            }
        } catch (RuntimeException e) {
            throw new ApiProblem(500, "ExplanationFailed", "the Grad-CAM pass failed: " + e);
        }
        float[] calibrated = model.calibrate(maps.probabilities());
        float[][] cam = maps.cams()[0];
        BufferedImage overlay = HeatmapOverlay.render(cam, HeatmapOverlay.channel(slice.image(), greyChannel(model), side, side));
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int k = 0; k < model.labels().size(); k++) probabilities.put(model.labels().get(k), (double) calibrated[k]);
        String explained = model.labels().get(maps.labels()[0]);
        return new Explained(new Explanation(slice.sopInstanceUid(), explained, calibrated[maps.labels()[0]], cam, overlay,
                HeatmapOverlay.png(overlay)), probabilities, slice);
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
        return best;
    }

    /** -1 for "the most probable"; 400 for a label the model does not have. */
    static int labelIndex(ServedModel model, String label) {
        if (label == null || label.isBlank()) return -1;
        List<String> labels = model.labels();
        int index = labels.indexOf(label.strip());
        if (index < 0) {
            throw new ApiProblem(400, "UnknownLabel", "label '" + label + "' is not one of the labels of " + model + ": " + String.join(", ", labels)
                    + " (omit label for the most probable one)", "label", null);
        }
        return index;
    }

    /** The brain window, the way a reader sees the slice; the first channel when the model was trained without it. */
    static int greyChannel(ServedModel model) {
        List<Channel> channels = model.preprocessing().config().channels();
        for (int c = 0; c < channels.size(); c++) if (channels.get(c).name().equals(Windows.BRAIN.name())) return c;
        return 0;
    }
}

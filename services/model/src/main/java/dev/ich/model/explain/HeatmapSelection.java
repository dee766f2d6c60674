package dev.ich.model.explain;

import dev.ich.model.Predictions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which validation slices the training report explains: the worst mistakes first (the output whose call at 0.5 is
 * wrong by the widest margin, largest first), then true positives (the surest positive call, surest first), so the
 * heatmaps show both where the model fails and what it has learnt to look at.
 */
public final class HeatmapSelection {
    /** Slice {@code slice} (an index into the predictions) explained for output {@code output}. */
    public record Pick(int slice, int output, boolean mistake, float error) {
    }

    private HeatmapSelection() {
    }

    public static List<Pick> worstMistakesThenTruePositives(Predictions p, int n) {
        int k = p.outputs();
        List<Pick> mistakes = new ArrayList<>();
        List<Pick> positives = new ArrayList<>();
        for (int i = 0; i < p.uids().size(); i++) {
            int wrong = -1, surest = -1;
            for (int o = 0; o < k; o++) {
                float prob = p.probabilities()[i * k + o];
                boolean truth = p.targets()[i * k + o] >= 0.5f;
                float error = Math.abs(prob - p.targets()[i * k + o]);
                if ((prob >= 0.5f) != truth && (wrong < 0 || error > Math.abs(p.probabilities()[i * k + wrong] - p.targets()[i * k + wrong]))) {
                    wrong = o;
                }
                if (truth && prob >= 0.5f && (surest < 0 || prob > p.probabilities()[i * k + surest])) surest = o;
            }
            if (wrong >= 0) {
                mistakes.add(new Pick(i, wrong, true, Math.abs(p.probabilities()[i * k + wrong] - p.targets()[i * k + wrong])));
            } else if (surest >= 0) {
                positives.add(new Pick(i, surest, false, 1 - p.probabilities()[i * k + surest]));
            }
        }
        // Ties by slice order, so the same predictions always pick the same slices.
        Comparator<Pick> byMargin = Comparator.comparingDouble(Pick::error);
        mistakes.sort(byMargin.reversed().thenComparingInt(Pick::slice));
        positives.sort(byMargin.thenComparingInt(Pick::slice));
        List<Pick> out = new ArrayList<>(mistakes.subList(0, Math.min(n, mistakes.size())));
        out.addAll(positives.subList(0, Math.min(n - out.size(), positives.size())));
        return out;
    }
}

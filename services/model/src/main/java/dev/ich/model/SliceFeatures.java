package dev.ich.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A frozen slice model's view of slices: per uid its pooled features ({@code dim} values), its logits and targets
 * ({@code outputs} each, task order); row-major, row i is {@code uids[i]}.
 */
public record SliceFeatures(List<String> uids, float[] features, int dim, float[] logits, float[] targets, int outputs) {
    public SliceFeatures {
        int n = uids.size();
        if (features.length != n * dim || logits.length != n * outputs || targets.length != n * outputs) {
            throw new IllegalArgumentException(n + " slices but " + features.length + " feature, " + logits.length + " logit and "
                    + targets.length + " target values for " + dim + " features and " + outputs + " outputs");
        }
    }

    /** Row of each uid. */
    public Map<String, Integer> rows() {
        Map<String, Integer> rows = new HashMap<>();
        for (int i = 0; i < uids.size(); i++) rows.put(uids.get(i), i);
        return rows;
    }

    /** The slice model's own probabilities: what max-over-slices scores a study with. */
    public Predictions predictions() {
        float[] p = new float[logits.length];
        for (int i = 0; i < p.length; i++) p[i] = (float) (1 / (1 + Math.exp(-logits[i])));
        return new Predictions(uids, p, targets, outputs);
    }
}

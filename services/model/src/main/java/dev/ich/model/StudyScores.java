package dev.ich.model;

import dev.ich.core.label.Label;
import dev.ich.core.metric.Auc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One way of scoring studies, measured at both levels: AUC of {@code any} per slice and per study, and the RSNA
 * weighted log loss ({@link Metrics#weightedLogLoss}) per slice and per study. A study's truth is the maximum of its
 * slices' (a study bleeds where any slice does).
 */
public record StudyScores(String name, double sliceAuc, double studyAuc, double sliceWeightedLogLoss, double studyWeightedLogLoss,
                          int slices, int studies) {

    /** @param slicePredictions per slice; @param studyPredictions per study (uids are study ids), targets included */
    public static StudyScores of(String name, Predictions slicePredictions, Predictions studyPredictions) {
        return new StudyScores(name, anyAuc(slicePredictions), anyAuc(studyPredictions), Metrics.weightedLogLoss(slicePredictions),
                Metrics.weightedLogLoss(studyPredictions), slicePredictions.uids().size(), studyPredictions.uids().size());
    }

    /** Today's study score: each study's probability per label is the maximum over its slices (and so is its truth). */
    public static Predictions maxOverSlices(Predictions slices, Map<String, String> studyOf) {
        int k = slices.outputs();
        Map<String, float[]> prob = new LinkedHashMap<>();
        Map<String, float[]> truth = new LinkedHashMap<>();
        for (int i = 0; i < slices.uids().size(); i++) {
            String study = studyOf.get(slices.uids().get(i));
            if (study == null) throw new IllegalArgumentException("slice " + slices.uids().get(i) + " has no study");
            float[] p = prob.computeIfAbsent(study, s -> new float[k]);
            float[] t = truth.computeIfAbsent(study, s -> new float[k]);
            for (int j = 0; j < k; j++) {
                p[j] = Math.max(p[j], slices.probabilities()[i * k + j]);
                t[j] = Math.max(t[j], slices.targets()[i * k + j]);
            }
        }
        List<String> ids = new ArrayList<>(prob.keySet());
        float[] p = new float[ids.size() * k], t = new float[ids.size() * k];
        for (int s = 0; s < ids.size(); s++) {
            System.arraycopy(prob.get(ids.get(s)), 0, p, s * k, k);
            System.arraycopy(truth.get(ids.get(s)), 0, t, s * k, k);
        }
        return new Predictions(List.copyOf(ids), p, t, k);
    }

    private static double anyAuc(Predictions p) {
        int k = Metrics.labels(p.outputs()).indexOf(Label.ANY);
        return Auc.of(Metrics.column(p.probabilities(), p.outputs(), k), Metrics.column(p.targets(), p.outputs(), k));
    }

    /** A fixed-width table of the rows, one per scoring, for a terminal and for docs (Markdown). */
    public static String table(List<StudyScores> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| scoring | study AUC (any) | slice AUC (any) | study weighted log loss | slice weighted log loss | studies | slices |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (StudyScores r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %d | %d |%n", r.name(), r.studyAuc(), r.sliceAuc(),
                    r.studyWeightedLogLoss(), r.sliceWeightedLogLoss(), r.studies(), r.slices()));
        }
        return out.toString();
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("study_auc_any", studyAuc);
        m.put("slice_auc_any", sliceAuc);
        m.put("study_weighted_log_loss", studyWeightedLogLoss);
        m.put("slice_weighted_log_loss", sliceWeightedLogLoss);
        m.put("studies", studies);
        m.put("slices", slices);
        return m;
    }
}

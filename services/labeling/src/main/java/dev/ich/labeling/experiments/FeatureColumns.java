package dev.ich.labeling.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Which columns the forest sees and how a sample becomes a dense row: decided on train alone, so nothing of the
 * valid split leaks into the choice of columns or the filled-in values.
 */
final class FeatureColumns {

    final List<String> names;
    final Map<String, String> dropped;
    final List<BaselineReport.Imputation> imputed;
    private final double[] medians;

    private FeatureColumns(List<String> names, Map<String, String> dropped, List<BaselineReport.Imputation> imputed,
                           double[] medians) {
        this.names = names;
        this.dropped = dropped;
        this.imputed = imputed;
        this.medians = medians;
    }

    static FeatureColumns decide(List<MetadataSample> train, List<MetadataSample> valid) {
        TreeSet<String> seen = new TreeSet<>();
        train.forEach(s -> seen.addAll(s.features().keySet()));
        List<String> names = new ArrayList<>();
        Map<String, String> dropped = new LinkedHashMap<>();
        List<BaselineReport.Imputation> imputed = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        for (String name : seen) {
            double[] present = train.stream().map(s -> s.value(name)).filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).sorted().toArray();
            if (present.length == 0) {
                dropped.put(name, "missing in all " + train.size() + " train slices");
            } else if (present[0] == present[present.length - 1]) {
                dropped.put(name, "constant in train (" + present[0] + (present.length == train.size() ? ""
                        : " in " + present.length + " of " + train.size() + " slices, missing in the rest") + ")");
            } else {
                double median = median(present);
                names.add(name);
                medians.add(median);
                long trainMissing = train.size() - present.length;
                long validMissing = valid.stream().filter(s -> s.value(name) == null).count();
                if (trainMissing + validMissing > 0) {
                    imputed.add(new BaselineReport.Imputation(name, median, trainMissing, validMissing));
                }
            }
        }
        boolean anyValue = seen.size() > dropped.values().stream().filter(r -> r.startsWith("missing")).count();
        if (!anyValue) {
            throw new IllegalArgumentException("no numeric feature has any value in the " + train.size()
                    + " train slices (" + seen.size() + " columns seen): check that the header columns were read"
                    + " and joined to the labels on slice id");
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("every feature is constant or missing in the train split, nothing to"
                    + " learn from: " + dropped);
        }
        return new FeatureColumns(List.copyOf(names), dropped, List.copyOf(imputed),
                medians.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The sample's values in the order of {@link #names}, missing ones filled with the train median. */
    double[] row(MetadataSample sample) {
        double[] row = new double[names.size()];
        for (int j = 0; j < row.length; j++) {
            Double v = sample.value(names.get(j));
            row[j] = v == null ? medians[j] : v;
        }
        return row;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    @Override
    public String toString() {
        return names + " medians " + Arrays.toString(medians);
    }
}

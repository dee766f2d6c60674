package dev.ich.core.metric;

import java.util.List;

/**
 * The mean and sample standard deviation (n - 1) of one figure over repeated runs (a sweep's seeds): what README and
 * docs quote as mean ± sd. One value has a deviation of 0; none has a NaN mean.
 */
public record Spread(double mean, double sd, int n) {
    public static Spread of(List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return new Spread(mean, values.size() > 1 ? Math.sqrt(ss / (values.size() - 1)) : 0.0, values.size());
    }

    public static Spread of(double[] values) {
        return of(java.util.Arrays.stream(values).boxed().toList());
    }
}

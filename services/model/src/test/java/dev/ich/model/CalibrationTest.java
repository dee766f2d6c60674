package dev.ich.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Temperature scaling on constructed validation sets whose right temperature is known. */
class CalibrationTest {
    static final int N = 20_000;

    /**
     * Truth drawn from a known probability q = sigmoid(z); the "network" reports sigmoid(z x overconfidence), i.e. q at
     * temperature 1 / overconfidence. The right temperature to undo it is {@code overconfidence}.
     */
    static float[][] drawn(long seed, double overconfidence) {
        Random random = new Random(seed);
        float[] p = new float[N];
        float[] y = new float[N];
        for (int i = 0; i < N; i++) {
            double z = random.nextGaussian() * 1.5;
            y[i] = random.nextDouble() < Calibration.sigmoid(z) ? 1 : 0;
            p[i] = (float) Calibration.sigmoid(z * overconfidence);
        }
        return new float[][] {p, y};
    }

    @Test
    void anOverConfidentNetworksTemperatureIsRecoveredAndItsEceDrops() {
        float[][] d = drawn(11, 2.5);
        Calibration c = Calibration.fit(new Predictions(List.of(), d[0], d[1], 1));
        assertThat(c.temperature("any")).isCloseTo(2.5, within(0.15));
        Calibration.LabelFit fit = c.labels().get("any");
        assertThat(fit.fitted()).isTrue();
        assertThat(fit.eceBefore()).as("over-confident: far from the diagonal").isGreaterThan(0.05);
        assertThat(fit.eceAfter()).isLessThan(0.02).isLessThan(fit.eceBefore() / 3);
        assertThat(c.note("any")).startsWith("fitted on").contains(fit.positives() + " positive");
        // the calibrated probabilities' log loss is below the raw ones'
        Predictions raw = new Predictions(List.of(), d[0], d[1], 1);
        assertThat(Metrics.logLoss(c.apply(raw))).isLessThan(Metrics.logLoss(raw));
    }

    @Test
    void aTimidNetworkGetsATemperatureBelowOne() {
        float[][] d = drawn(12, 0.5);
        Calibration c = Calibration.fit(new Predictions(List.of(), d[0], d[1], 1));
        assertThat(c.temperature("any")).isCloseTo(0.5, within(0.05));
    }

    @Test
    void aCalibratedInputKeepsATemperatureOfAboutOne() {
        float[][] d = drawn(13, 1.0);
        Calibration c = Calibration.fit(new Predictions(List.of(), d[0], d[1], 1));
        assertThat(c.temperature("any")).isCloseTo(1.0, within(0.07));
        Calibration.LabelFit fit = c.labels().get("any");
        assertThat(fit.eceBefore()).isLessThan(0.02);
        assertThat(fit.eceAfter()).isLessThan(0.02);
    }

    @Test
    void aLabelWithoutPositivesOrWithoutNegativesKeepsOneAndSaysWhy() {
        // six labels in CSV order (epidural .. subdural, any): all over-confident, but epidural has no positive, subdural no negative
        int n = 4000;
        float[][] d = drawn(14, 3.0);
        float[] p = new float[n * 6];
        float[] y = new float[n * 6];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 6; k++) {
                p[i * 6 + k] = d[0][i];
                y[i * 6 + k] = d[1][i];
            }
            y[i * 6] = 0; // epidural
            y[i * 6 + 4] = 1; // subdural
        }
        Calibration c = Calibration.fit(new Predictions(List.of(), p, y, 6));
        assertThat(c.labels()).containsOnlyKeys("any", "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural");
        assertThat(c.temperature("epidural")).isEqualTo(1.0);
        assertThat(c.note("epidural")).contains("0 positive").contains("no temperature can be fitted");
        assertThat(c.labels().get("epidural").fitted()).isFalse();
        assertThat(c.temperature("subdural")).isEqualTo(1.0);
        assertThat(c.note("subdural")).contains("0 negative");
        assertThat(c.temperature("any")).isCloseTo(3.0, within(0.3));
        assertThat(c.temperature("intraventricular")).isEqualTo(c.temperature("any"));
        // applying: the unfitted labels come back untouched, bit for bit
        Predictions calibrated = c.apply(new Predictions(List.of(), p, y, 6));
        for (int i = 0; i < n; i++) {
            assertThat(calibrated.probabilities()[i * 6]).isEqualTo(p[i * 6]);
            assertThat(calibrated.probabilities()[i * 6 + 4]).isEqualTo(p[i * 6 + 4]);
            assertThat(calibrated.probabilities()[i * 6 + 5]).isEqualTo(Calibration.apply(p[i * 6 + 5], c.temperature("any")));
        }
    }

    @Test
    void applyingATemperatureIsSigmoidOfTheScaledLogit() {
        float p = 0.9f;
        double expected = 1 / (1 + Math.exp(-Math.log(0.9 / 0.1) / 2));
        assertThat((double) Calibration.apply(p, 2.0)).isCloseTo(expected, within(1e-6));
        assertThat(Calibration.apply(0.3f, 1.0)).isEqualTo(0.3f);
        assertThat(Calibration.apply(0.5f, 7.0)).isEqualTo(0.5f);
        // clamped away from 0 and 1 before the logit: finite, and still on its side of one half
        assertThat(Calibration.apply(1.0f, 2.0)).isLessThan(1.0f).isGreaterThan(0.99f);
        assertThat(Calibration.apply(0.0f, 2.0)).isGreaterThan(0.0f).isLessThan(0.01f);
        assertThatThrownBy(() -> Calibration.apply(0.3f, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Calibration.apply(0.3f, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        float[] rows = Calibration.applyRows(new float[] {0.9f, 0.2f, 0.6f, 0.4f}, new double[] {2.0, 1.0});
        assertThat(rows[1]).isEqualTo(0.2f);
        assertThat(rows[3]).isEqualTo(0.4f);
        assertThat((double) rows[0]).isCloseTo(expected, within(1e-6));
    }

    @Test
    void reliabilityBinsAndTheEceOfAHandMadeSet() {
        // bin [0.1, 0.2): 0.15 x 4, one positive (observed 0.25); bin [0.9, 1.0]: 0.95 and 1.0, both positive
        float[] p = {0.15f, 0.15f, 0.15f, 0.15f, 0.95f, 1.0f};
        float[] y = {1, 0, 0, 0, 1, 1};
        List<Calibration.Bin> bins = Calibration.reliability(p, y, 10);
        assertThat(bins).hasSize(10);
        assertThat(bins.get(1).count()).isEqualTo(4);
        assertThat(bins.get(1).meanPredicted()).isCloseTo(0.15, within(1e-6));
        assertThat(bins.get(1).observed()).isEqualTo(0.25);
        assertThat(bins.get(9).count()).as("1.0 falls in the last bin").isEqualTo(2);
        assertThat(bins.get(5).count()).isZero();
        assertThat(bins.get(5).meanPredicted()).isNull();
        double ece = 4.0 / 6 * 0.10 + 2.0 / 6 * 0.025;
        assertThat(Calibration.expectedCalibrationError(p, y, 10)).isCloseTo(ece, within(1e-6));
        assertThat(Calibration.expectedCalibrationError(p, y, 1)).isCloseTo(Math.abs((0.6 + 1.95) / 6 - 3.0 / 6), within(1e-6));
    }

    @Test
    void theModelJsonBlock() {
        float[][] d = drawn(15, 2.0);
        Calibration c = Calibration.builder(new Predictions(List.of(), d[0], d[1], 1)).optBins(5).build();
        Map<String, Object> json = c.json();
        assertThat(json).containsKeys("method", "temperature", "ece", "bins", "reliability");
        assertThat(json.get("method")).isEqualTo(Calibration.METHOD);
        assertThat(json.get("bins")).isEqualTo(5);
        assertThat(((Map<?, ?>) json.get("temperature")).get("any")).isEqualTo(c.temperature("any"));
        Map<?, ?> ece = (Map<?, ?>) json.get("ece");
        assertThat(((Map<?, ?>) ece.get("before")).get("any")).isEqualTo(c.labels().get("any").eceBefore());
        assertThat(((Map<?, ?>) ece.get("after")).get("any")).isEqualTo(c.labels().get("any").eceAfter());
        List<?> bins = (List<?>) ((Map<?, ?>) json.get("reliability")).get("any");
        assertThat(bins).hasSize(5);
        assertThat(List.copyOf(((Map<?, ?>) bins.get(0)).keySet())).isEqualTo(List.of("lower", "upper", "count", "meanPredicted", "observed"));
        int total = bins.stream().mapToInt(b -> (Integer) ((Map<?, ?>) b).get("count")).sum();
        assertThat(total).isEqualTo(N);
        assertThatThrownBy(() -> Calibration.builder(new Predictions(List.of(), new float[0], new float[0], 1)))
                .hasMessageContaining("needs validation predictions");
        assertThatThrownBy(() -> Calibration.builder(new Predictions(List.of(), d[0], d[1], 1)).optBins(0)).hasMessageContaining("bins");
    }
}

package dev.ich.labeling.experiments;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./ich bench forest} on a handful of rows: both forests run on the same rows and the extrapolation says it is one. */
class ForestBenchTest {

    @Test
    void bothForestsAreTimedAndTribuosTwoHundredTreesAreMarkedAsAnExtrapolation() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ForestBench.Result result = ForestBench.run(800, 10, 1, 0, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(result.trainRows()).isEqualTo(800);
        assertThat(result.validRows()).isEqualTo(200);
        assertThat(result.maxDepth()).isEqualTo(MetadataBaseline.DEFAULT_MAX_DEPTH);
        assertThat(result.auc()).isBetween(0.0, 1.0);
        assertThat(result.xgboostFitSeconds()).isPositive();
        assertThat(result.tribuoExtrapolatedSeconds()).isEqualTo(result.tribuoFitSeconds() * 10);
        assertThat(out).contains("800 train + 200 valid rows, 30 columns", "XGBoost 3.4.0 forest, 10 trees",
                        "30 permutation importances", "Tribuo 4.3.2 forest, 1 trees measured", "EXTRAPOLATED (10 x")
                .containsPattern("ratio, XGBoost's 10-tree fit to Tribuo's extrapolated 10-tree fit: [0-9.]+x");
    }
}

package dev.ich.core.metric;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SpreadTest {
    @Test
    void theSampleDeviationDividesByNMinusOne() {
        Spread s = Spread.of(List.of(0.80, 0.84, 0.88));
        assertThat(s.mean()).isCloseTo(0.84, within(1e-12));
        assertThat(s.sd()).isCloseTo(0.04, within(1e-12));
        assertThat(s.n()).isEqualTo(3);
    }

    @Test
    void oneRunHasNoSpreadAndNoRunHasNoMean() {
        assertThat(Spread.of(new double[] {0.9}).sd()).isZero();
        assertThat(Spread.of(List.of()).mean()).isNaN();
    }
}

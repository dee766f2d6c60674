package dev.ich.model;

import dev.ich.core.training.Schedule;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DiscriminativeScheduleTest {
    @Test
    void ratesSpreadGeometricallyFromTheFirstGroupToTheHead() {
        double[] rates = DiscriminativeSchedule.geometric(1e-6, 1e-2, 5);
        assertThat(rates).containsExactly(new double[] {1e-6, 1e-5, 1e-4, 1e-3, 1e-2}, within(1e-12));
        assertThat(DiscriminativeSchedule.geometric(3e-3, 3e-3, 5)).containsOnly(3e-3);
    }

    @Test
    void theTrackerGivesEachParameterItsGroupsRateTimesTheScheduleFactor() {
        Map<String, Integer> groups = Map.of("stem-conv", 0, "stage3-conv", 2, "head-linear", 4);
        double[] rates = DiscriminativeSchedule.geometric(1e-6, 1e-4, 5);
        DiscriminativeSchedule constant = new DiscriminativeSchedule(groups, rates, Schedule.CONSTANT, 100);
        assertThat((double) constant.getNewValue("stem-conv", 7)).isCloseTo(1e-6, within(1e-12));
        assertThat((double) constant.getNewValue("stage3-conv", 7)).isCloseTo(1e-5, within(1e-11));
        assertThat((double) constant.getNewValue("head-linear", 7)).isCloseTo(1e-4, within(1e-10));

        DiscriminativeSchedule oneCycle = new DiscriminativeSchedule(groups, rates, Schedule.ONE_CYCLE, 100);
        oneCycle.setStep(10);
        double factor = DiscriminativeSchedule.factor(Schedule.ONE_CYCLE, 10, 100);
        assertThat((double) oneCycle.getNewValue("stem-conv", 0)).isCloseTo(1e-6 * factor, within(1e-12));
        assertThat((double) oneCycle.getNewValue("head-linear", 0)).isCloseTo(1e-4 * factor, within(1e-10));
        assertThat((double) oneCycle.getNewValue("a parameter of no group", 0)).as("unknown ids count as head")
                .isCloseTo(1e-4 * factor, within(1e-10));
    }

    @Test
    void oneCycleWarmsUpFromATwentyFifthToTheMaximumThenAnnealsFarBelow() {
        int total = 200;
        double[] f = new double[total];
        for (int s = 0; s < total; s++) f[s] = DiscriminativeSchedule.factor(Schedule.ONE_CYCLE, s, total);
        int peak = 0;
        for (int s = 1; s < total; s++) if (f[s] > f[peak]) peak = s;

        assertThat(f[0]).isCloseTo(1 / 25.0, within(1e-9));
        assertThat(f[peak]).isCloseTo(1.0, within(1e-9));
        assertThat(peak).isEqualTo(50);
        for (int s = 1; s <= peak; s++) assertThat(f[s]).isGreaterThan(f[s - 1]);
        for (int s = peak + 1; s < total; s++) assertThat(f[s]).isLessThan(f[s - 1]);
        assertThat(f[total - 1]).isCloseTo(1e-4, within(1e-9));
        assertThat(DiscriminativeSchedule.factor(Schedule.CONSTANT, 123, total)).isEqualTo(1.0);

        // beta1 moves against the rate: 0.95 -> 0.85 at the peak -> back to 0.95
        assertThat(DiscriminativeSchedule.beta1(Schedule.ONE_CYCLE, 0, total)).isCloseTo(0.95, within(1e-9));
        assertThat(DiscriminativeSchedule.beta1(Schedule.ONE_CYCLE, peak, total)).isCloseTo(0.85, within(1e-9));
        assertThat(DiscriminativeSchedule.beta1(Schedule.ONE_CYCLE, total - 1, total)).isCloseTo(0.95, within(1e-9));
        assertThat(DiscriminativeSchedule.beta1(Schedule.CONSTANT, 7, total)).isEqualTo(0.9);
    }
}

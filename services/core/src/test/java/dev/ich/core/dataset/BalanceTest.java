package dev.ich.core.dataset;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BalanceTest {

    @Test
    void everyPositiveAndAsManyNegativesInInputOrder() {
        // 1 in 7 positive, as in the RSNA data.
        List<Integer> items = IntStream.range(0, 700).boxed().toList();

        List<Integer> balanced = Balance.allPositivesAndAsManyNegatives(items, i -> i % 7 == 0, 3);

        assertThat(balanced).hasSize(200);
        assertThat(balanced.stream().filter(i -> i % 7 == 0)).hasSize(100);
        assertThat(balanced).isSorted();
        assertThat(Balance.allPositivesAndAsManyNegatives(items, i -> i % 7 == 0, 3)).isEqualTo(balanced);
        assertThat(Balance.allPositivesAndAsManyNegatives(items, i -> i % 7 == 0, 4)).isNotEqualTo(balanced);
    }

    @Test
    void fewerNegativesThanPositivesAreAllKept() {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();

        assertThat(Balance.allPositivesAndAsManyNegatives(items, i -> i < 8, 1)).isEqualTo(items);
        assertThat(Balance.allPositivesAndAsManyNegatives(items, i -> false, 1)).isEmpty();
    }
}

package dev.ich.core.phantom;

import dev.ich.core.label.Label;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Given fourteen phantom studies rendered in memory, their labels follow their bleed pixels. */
class BleedLabelTest {
    private static final int STUDIES = 14, SLICES = 16;
    private static final List<List<PhantomImage>> studies = new ArrayList<>();

    @BeforeAll
    static void render() {
        PhantomGenerator g = new PhantomGenerator(PhantomOptions.of(STUDIES, 99L).withSlicesPerStudy(SLICES));
        for (int s = 0; s < STUDIES; s++) {
            List<PhantomImage> slices = new ArrayList<>();
            for (int k = 0; k < SLICES; k++) slices.add(g.render(s, k));
            studies.add(slices);
        }
    }

    @Test
    void anyIsSetExactlyWhenSomeSubtypeIs() {
        for (List<PhantomImage> study : studies) {
            for (PhantomImage image : study) {
                boolean subtype = Label.SUBTYPES.stream().anyMatch(image.labels()::contains);
                assertThat(image.labels().contains(Label.ANY)).isEqualTo(subtype);
            }
        }
    }

    @Test
    void aSubtypeIsLabelledIffItsBleedCoversEnoughPixels() {
        for (List<PhantomImage> study : studies) {
            for (PhantomImage image : study) {
                for (Label l : Label.SUBTYPES) {
                    assertThat(image.labels().contains(l)).isEqualTo(image.bleedPixels().get(l) >= PhantomImage.MIN_BLEED_PIXELS);
                }
            }
        }
    }

    @Test
    void aboutOneSliceInSevenBleeds() {
        long positives = studies.stream().flatMap(List::stream).filter(i -> i.labels().contains(Label.ANY)).count();
        double rate = positives / (double) (STUDIES * SLICES);
        assertThat(rate).as("positive rate").isBetween(0.09, 0.21);
    }

    @Test
    void bleedsSpanNeighbouringSlices() {
        int positives = 0, withPositiveNeighbour = 0;
        for (List<PhantomImage> study : studies) {
            for (int k = 0; k < SLICES; k++) {
                if (!study.get(k).labels().contains(Label.ANY)) continue;
                positives++;
                boolean above = k > 0 && study.get(k - 1).labels().contains(Label.ANY);
                boolean below = k + 1 < SLICES && study.get(k + 1).labels().contains(Label.ANY);
                if (above || below) withPositiveNeighbour++;
            }
        }
        assertThat(withPositiveNeighbour).as("positive slices next to another positive slice").isGreaterThanOrEqualTo(positives * 2 / 3);
    }

    @Test
    void everySubtypeOccursAndSubtypesCanCoOccur() {
        Map<Label, Set<Integer>> studiesWith = new EnumMap<>(Label.class);
        boolean coOccur = false;
        for (int s = 0; s < STUDIES; s++) {
            for (PhantomImage image : studies.get(s)) {
                for (Label l : image.labels()) studiesWith.computeIfAbsent(l, x -> new HashSet<>()).add(s);
                coOccur |= image.labels().size() > 2;
            }
        }
        assertThat(studiesWith.keySet()).containsAll(Label.SUBTYPES);
        assertThat(coOccur).as("some slice with two subtypes").isTrue();
        assertThat(studiesWith.get(Label.ANY).size()).as("bleeding studies").isBetween(6, 11);
    }

    @Test
    void aHigherPositiveRateGivesMorePositiveSlices() {
        PhantomGenerator g = new PhantomGenerator(PhantomOptions.of(6, 99L).withSlicesPerStudy(SLICES).withPositiveRate(0.35));
        long positives = 0;
        for (int s = 0; s < 6; s++) for (int k = 0; k < SLICES; k++) if (g.render(s, k).labels().contains(Label.ANY)) positives++;
        assertThat(positives / (6.0 * SLICES)).isBetween(0.22, 0.5);
    }
}

package dev.ich.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The comparison's numbers on slices and studies small enough to work out by hand. */
class StudyScoresTest {

    // two studies of two slices, any only: study A bleeds on its second slice, study B not at all
    private static final Predictions SLICES = new Predictions(List.of("a1", "a2", "b1", "b2"), new float[] {0.2f, 0.9f, 0.4f, 0.1f},
            new float[] {0, 1, 0, 0}, 1);
    private static final Map<String, String> STUDY = Map.of("a1", "A", "a2", "A", "b1", "B", "b2", "B");

    @Test
    void maxOverSlicesTakesEachStudysHighestProbabilityAndTruth() {
        Predictions studies = StudyScores.maxOverSlices(SLICES, STUDY);
        assertThat(studies.uids()).containsExactly("A", "B");
        assertThat(studies.probabilities()).containsExactly(0.9f, 0.4f);
        assertThat(studies.targets()).containsExactly(1f, 0f);
    }

    @Test
    void scoresAreTheAucAndWeightedLogLossAtBothLevels() {
        StudyScores s = StudyScores.of("slice max", SLICES, StudyScores.maxOverSlices(SLICES, STUDY));
        // slices: the one positive (0.9) outranks all three negatives
        assertThat(s.sliceAuc()).isEqualTo(1.0);
        assertThat(s.studyAuc()).isEqualTo(1.0);
        double slice = (-Math.log(0.8) - Math.log(0.9) - Math.log(0.6) - Math.log(0.9)) / 4;
        assertThat(s.sliceWeightedLogLoss()).isCloseTo(slice, within(1e-6));
        assertThat(s.studyWeightedLogLoss()).isCloseTo((-Math.log(0.9) - Math.log(0.6)) / 2, within(1e-6));
        assertThat(s.studies()).isEqualTo(2);
        assertThat(s.slices()).isEqualTo(4);

        // a scoring that ranks study B above A loses the study AUC
        Predictions swapped = new Predictions(List.of("A", "B"), new float[] {0.3f, 0.7f}, new float[] {1, 0}, 1);
        assertThat(StudyScores.of("x", SLICES, swapped).studyAuc()).isZero();
    }

    @Test
    void theTableHasOneRowPerScoring() {
        StudyScores a = new StudyScores("slice max", 0.91, 0.85, 0.30, 0.45, 100, 10);
        StudyScores b = new StudyScores("study head", 0.93, 0.9, 0.25, 0.35, 100, 10);
        String table = StudyScores.table(List.of(a, b));
        assertThat(table.lines()).hasSize(4);
        assertThat(table).contains("| slice max | 0.8500 | 0.9100 | 0.4500 | 0.3000 | 10 | 100 |")
                .contains("| study head | 0.9000 | 0.9300 | 0.3500 | 0.2500 | 10 | 100 |");
    }
}

package dev.ich.trainer;

import dev.ich.model.Predictions;
import dev.ich.model.StudyScores;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The comparison table of {@code experiment study}, computed on hand-made predictions. */
class StudyExperimentTest {
    private static final Map<String, String> STUDY = Map.of("a1", "A", "a2", "A", "b1", "B", "b2", "B", "c1", "C", "c2", "C");
    private static final float[] TRUTH = {0, 1, 0, 0, 1, 1};

    @Test
    void rowsScoreBothSliceModelsByMaxOverSlicesAndKeepTheHeadsOwnScores() {
        // 2D: study B's false alarm (0.8) outranks study A's bleed (0.6); 2.5D ranks every study right
        Predictions single = new Predictions(List.of("a1", "a2", "b1", "b2", "c1", "c2"), new float[] {0.1f, 0.6f, 0.8f, 0.2f, 0.9f, 0.7f}, TRUTH, 1);
        Predictions context = new Predictions(List.of("a1", "a2", "b1", "b2", "c1", "c2"), new float[] {0.2f, 0.7f, 0.3f, 0.1f, 0.9f, 0.8f}, TRUTH, 1);
        StudyScores head = new StudyScores("study head", 0.95, 1.0, 0.2, 0.15, 6, 3);

        List<StudyScores> rows = StudyExperiment.rows(single, context, head, STUDY);

        assertThat(rows).extracting(StudyScores::name).containsExactly(StudyExperiment.SLICE_MAX, StudyExperiment.CONTEXT_MAX,
                StudyExperiment.CONTEXT_HEAD);
        // 2D studies: A 0.6 (bleeds), B 0.8 (not), C 0.9 (bleeds): of the two positive-negative pairs one is right
        assertThat(rows.get(0).studyAuc()).isEqualTo(0.5);
        assertThat(rows.get(0).studyWeightedLogLoss()).isCloseTo((-Math.log(0.6) - Math.log(0.2) - Math.log(0.9)) / 3, within(1e-6));
        assertThat(rows.get(1).studyAuc()).isEqualTo(1.0);
        assertThat(rows.get(1).studyWeightedLogLoss()).isCloseTo((-Math.log(0.7) - Math.log(0.7) - Math.log(0.9)) / 3, within(1e-6));
        assertThat(rows.get(2).studyWeightedLogLoss()).isEqualTo(0.15);
        assertThat(rows).allSatisfy(r -> assertThat(r.studies()).isEqualTo(3));
        assertThat(StudyScores.table(rows)).contains("| 2.5D + study head | 1.0000 | 0.9500 | 0.1500 | 0.2000 | 3 | 6 |");
    }

    @Test
    void modelsValidatedOnDifferentSlicesAreNotCompared() {
        Predictions one = new Predictions(List.of("a1"), new float[] {0.5f}, new float[] {1}, 1);
        Predictions other = new Predictions(List.of("b1"), new float[] {0.5f}, new float[] {0}, 1);
        assertThatThrownBy(() -> StudyExperiment.rows(one, other, new StudyScores("h", 0, 0, 0, 0, 1, 1), STUDY))
                .hasMessageContaining("different slices");
    }
}

package dev.ich.core.dataset;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatientSplitTest {

    static List<String> patients(int n) {
        return IntStream.range(0, n).mapToObj(i -> "ID_" + Integer.toHexString(0x1000 + i * 7919)).toList();
    }

    @Test
    void aFifthOfThePatientsValidateAndTheOrderOfInputDoesNotMatter() {
        List<String> patients = patients(100);
        List<String> shuffled = new ArrayList<>(patients);
        Collections.shuffle(shuffled, new Random(99));
        // Patients repeat once per slice in real input.
        List<String> perSlice = new ArrayList<>(shuffled);
        perSlice.addAll(patients.subList(0, 30));

        Map<String, String> split = PatientSplit.assign(patients, 0.2, 7);

        assertThat(split).hasSize(100);
        assertThat(split.values().stream().filter(PatientSplit.VALID::equals).count()).isEqualTo(20);
        assertThat(split.values()).containsOnly(PatientSplit.TRAIN, PatientSplit.VALID);
        assertThat(PatientSplit.assign(shuffled, 0.2, 7)).isEqualTo(split);
        assertThat(PatientSplit.assign(perSlice, 0.2, 7)).isEqualTo(split);
        assertThat(PatientSplit.assign(patients, 0.2, 8)).isNotEqualTo(split);
    }

    @Test
    void fewPatientsStillGiveOneOnEachSide() {
        assertThat(PatientSplit.assign(List.of("a", "b"), 0.01, 1).values())
                .containsExactlyInAnyOrder(PatientSplit.TRAIN, PatientSplit.VALID);
        assertThat(PatientSplit.assign(List.of("a", "b", "c"), 0.9, 1).values())
                .containsExactlyInAnyOrder(PatientSplit.TRAIN, PatientSplit.VALID, PatientSplit.VALID);
        assertThat(PatientSplit.assign(List.of("a"), 0.5, 1)).containsExactly(Map.entry("a", PatientSplit.TRAIN));
        assertThat(PatientSplit.assign(patients(10), 0, 1).values()).containsOnly(PatientSplit.TRAIN);
        assertThat(PatientSplit.assign(List.of(), 0.2, 1)).isEmpty();
    }

    @Test
    void aStratifiedSplitValidatesOnBothKindsOfPatientInProportion() {
        Map<String, Boolean> patients = new java.util.TreeMap<>();
        List<String> ids = patients(50);
        for (int i = 0; i < ids.size(); i++) patients.put(ids.get(i), i % 5 == 0); // 10 with a bleed, 40 without

        Map<String, String> split = PatientSplit.assignStratified(patients, 0.2, 3);

        assertThat(split).hasSize(50);
        assertThat(split.entrySet().stream().filter(e -> e.getValue().equals(PatientSplit.VALID) && patients.get(e.getKey())).count())
                .isEqualTo(2);
        assertThat(split.entrySet().stream().filter(e -> e.getValue().equals(PatientSplit.VALID) && !patients.get(e.getKey())).count())
                .isEqualTo(8);
        assertThat(PatientSplit.assignStratified(patients, 0.2, 3)).isEqualTo(split);
    }

    @Test
    void aStratifiedSplitOfTwoPatientsStillValidatesOne() {
        assertThat(PatientSplit.assignStratified(Map.of("a", true, "b", false), 0.2, 1).values())
                .containsExactlyInAnyOrder(PatientSplit.TRAIN, PatientSplit.VALID);
        assertThat(PatientSplit.assignStratified(Map.of("a", true), 0.2, 1)).containsExactly(Map.entry("a", PatientSplit.TRAIN));
    }

    @Test
    void aFractionOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> PatientSplit.assign(patients(5), 1.0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validFraction");
        assertThatThrownBy(() -> PatientSplit.assign(patients(5), -0.1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PatientSplit.assign(patients(5), Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

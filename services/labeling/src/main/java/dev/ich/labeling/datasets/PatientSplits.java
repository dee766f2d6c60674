package dev.ich.labeling.datasets;

import dev.ich.core.dataset.PatientSplit;
import dev.ich.runtime.problem.ApiProblem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Train and valid by patient, stratified on whether a patient has a bleeding slice, shuffled once with the seed. */
final class PatientSplits {
    private PatientSplits() {
    }

    /**
     * The slices of each split ({@link PatientSplit#TRAIN} then {@link PatientSplit#VALID}), each shuffled with the seed (a
     * trainer reading shards in order sees patients and classes mixed); a 400 when the patients are too few for both.
     */
    static Map<String, List<SelectedSlice>> split(List<SelectedSlice> rows, double validFraction, long seed) {
        Map<String, String> splitOf = byPatient(rows, validFraction, seed);
        Map<String, List<SelectedSlice>> bySplit = new LinkedHashMap<>();
        bySplit.put(PatientSplit.TRAIN, new ArrayList<>());
        bySplit.put(PatientSplit.VALID, new ArrayList<>());
        for (SelectedSlice r : rows) bySplit.get(splitOf.get(r.patient())).add(r);
        Random shuffle = new Random(seed);
        bySplit.values().forEach(l -> Collections.shuffle(l, shuffle));
        if (bySplit.get(PatientSplit.VALID).isEmpty() || bySplit.get(PatientSplit.TRAIN).isEmpty()) {
            throw ApiProblem.badRequest("the selected slices come from " + splitOf.size() + " patient(s): too few for a train "
                    + "and a valid split by patient");
        }
        return bySplit;
    }

    /**
     * Patient to train or valid. Each patient enters the split under its first slice's SOP Instance UID, not under its
     * pseudonym: the pseudonyms are keyed hashes (ingest's de-identification), so their order changes with the key,
     * and a split that followed it would move patients between train and valid whenever the key changes (every new local
     * stack makes one; a site may rotate it). SOP Instance UIDs survive de-identification unchanged, so the same slices
     * and seed give the same split under any key.
     */
    static Map<String, String> byPatient(List<SelectedSlice> rows, double validFraction, long seed) {
        Map<String, String> firstSlice = new HashMap<>();
        for (SelectedSlice r : rows) firstSlice.merge(r.patient(), r.uid(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        Map<String, Boolean> positiveBySlice = new HashMap<>();
        for (SelectedSlice r : rows) positiveBySlice.merge(firstSlice.get(r.patient()), r.positive(), Boolean::logicalOr);
        Map<String, String> splitBySlice = PatientSplit.assignStratified(positiveBySlice, validFraction, seed);
        Map<String, String> split = new HashMap<>();
        firstSlice.forEach((patient, slice) -> split.put(patient, splitBySlice.get(slice)));
        return split;
    }
}

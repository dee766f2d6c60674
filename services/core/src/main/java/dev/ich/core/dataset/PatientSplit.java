package dev.ich.core.dataset;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits by patient, never by slice: slices of one patient are near copies, so a patient in both
 * sets would leak the answer into validation (docs/reference-experiment.md, "a split by patient is the sound default").
 */
public final class PatientSplit {
    public static final String TRAIN = "train";
    public static final String VALID = "valid";

    private PatientSplit() {
    }

    /**
     * Patient to {@link #TRAIN} or {@link #VALID}, in patient order. round(validFraction x n)
     * distinct patients go to valid, but at least one to each side when there are two or more and
     * the fraction is strictly between 0 and 1; a single patient trains. The result depends only on the
     * set of patients and the seed, not on their order or repetition.
     */
    public static Map<String, String> assign(Collection<String> patients, double validFraction, long seed) {
        if (!(validFraction >= 0 && validFraction < 1)) {
            throw new IllegalArgumentException("validFraction must be in [0, 1), got " + validFraction);
        }
        for (String p : patients) {
            if (p == null || p.isBlank()) throw new IllegalArgumentException("patient ids must not be missing or blank");
        }
        List<String> order = new ArrayList<>(new TreeSet<>(patients));
        int n = order.size();
        int valid = (int) Math.round(validFraction * n);
        if (n >= 2 && validFraction > 0) valid = Math.max(1, Math.min(n - 1, valid));
        if (n == 1) valid = 0;
        // java.util.Random and Collections.shuffle are specified to the algorithm: the same split on any JDK.
        Collections.shuffle(order, new Random(seed));
        Map<String, String> split = new TreeMap<>();
        for (int i = 0; i < n; i++) split.put(order.get(i), i < valid ? VALID : TRAIN);
        return Collections.unmodifiableMap(split);
    }

    /**
     * As {@link #assign}, stratified: the patients with a positive slice and those without are split separately, each
     * in the fraction, so validation holds both kinds in about the proportion of the whole. With few patients a plain
     * split can give validation only patients without a bleed (a balanced set whose validation is 80 % negative); on
     * 25,000 patients both agree. Still at least one patient on each side when there are two or more.
     *
     * @param patients patient to whether any of its selected slices is positive
     */
    public static Map<String, String> assignStratified(Map<String, Boolean> patients, double validFraction, long seed) {
        Map<String, String> split = new TreeMap<>();
        TreeSet<String> positive = new TreeSet<>(), negative = new TreeSet<>();
        patients.forEach((p, pos) -> (Boolean.TRUE.equals(pos) ? positive : negative).add(p));
        split.putAll(assign(positive, validFraction, seed));
        split.putAll(assign(negative, validFraction, seed + 1));
        if (split.size() >= 2 && validFraction > 0 && !split.containsValue(VALID)) {
            // Two strata of one patient each train by the rule above; one of them validates instead.
            split.put((negative.isEmpty() ? positive : negative).first(), VALID);
        }
        return Collections.unmodifiableMap(split);
    }
}

package dev.ich.core.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/** Class balancing for the training set: about 1 slice in 7 bleeds (docs/reference-experiment.md), so negatives are sampled down. */
public final class Balance {
    private Balance() {
    }

    /**
     * Every positive and a seeded random sample of as many negatives (all of them when there are
     * fewer), in input order. No positives means an empty list.
     */
    public static <T> List<T> allPositivesAndAsManyNegatives(List<T> items, Predicate<T> positive, long seed) {
        boolean[] isPositive = new boolean[items.size()];
        List<Integer> negatives = new ArrayList<>();
        int positives = 0;
        for (int i = 0; i < items.size(); i++) {
            isPositive[i] = positive.test(items.get(i));
            if (isPositive[i]) positives++;
            else negatives.add(i);
        }
        boolean[] keep = isPositive.clone();
        if (negatives.size() <= positives) {
            for (int i : negatives) keep[i] = true;
        } else {
            Collections.shuffle(negatives, new Random(seed));
            for (int i : negatives.subList(0, positives)) keep[i] = true;
        }
        List<T> out = new ArrayList<>(Math.min(items.size(), 2 * positives));
        for (int i = 0; i < items.size(); i++) if (keep[i]) out.add(items.get(i));
        return Collections.unmodifiableList(out);
    }
}

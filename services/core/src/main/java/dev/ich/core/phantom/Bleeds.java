package dev.ich.core.phantom;

import dev.ich.core.label.Label;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Places a study's bleeds: a primary bleed spanning a run of neighbouring brain slices (the run's
 * length sets how many slices are positive), sometimes a second subtype inside the same run, since
 * subtypes co-occur in real exams. Intraventricular blood only where the ventricles are.
 */
final class Bleeds {
    private Bleeds() {
    }

    static List<Bleed> place(Head head, Label primary, int run, double firstDepth, double spacing, int slices,
                             SplittableRandom rng) {
        double from = 22 * head.scale(), to = 98 * head.scale();
        if (primary == Label.INTRAVENTRICULAR) {
            double middle = (head.ventriclesTop() + head.ventriclesBottom()) / 2;
            from = Math.min(from, middle - run * spacing / 2);
        }
        List<Integer> candidates = new ArrayList<>();
        for (int k = 0; k + run <= slices; k++) {
            if (firstDepth + k * spacing >= from && firstDepth + (k + run - 1) * spacing <= to) candidates.add(k);
        }
        if (candidates.isEmpty()) return List.of();
        int first = candidates.get(rng.nextInt(candidates.size()));
        if (primary == Label.INTRAVENTRICULAR) first = closestTo((head.ventriclesTop() + head.ventriclesBottom()) / 2,
                candidates, run, firstDepth, spacing);
        double top = firstDepth + first * spacing, bottom = top + (run - 1) * spacing;
        List<Bleed> bleeds = new ArrayList<>();
        if (primary == Label.INTRAVENTRICULAR) {
            double vTop = Math.max(top, head.ventriclesTop() + 6), vBottom = Math.min(bottom, head.ventriclesBottom() - 4);
            if (vBottom >= vTop) bleeds.add(Bleed.draw(Label.INTRAVENTRICULAR, vTop, vBottom, rng));
            // The run is longer than the ventricles: a parenchymal bleed ruptured into them, as is typical.
            if (vTop > top || vBottom < bottom) bleeds.add(Bleed.draw(Label.INTRAPARENCHYMAL, top, bottom, rng));
        } else {
            bleeds.add(Bleed.draw(primary, top, bottom, rng));
        }
        if (rng.nextDouble() < 0.4) {
            Label second = Cohort.weighted(rng);
            // A different subtype; intraventricular blood needs the ventricles, which the run may miss.
            for (int tries = 0; tries < 8 && (second == primary || second == Label.INTRAVENTRICULAR); tries++) {
                second = Cohort.weighted(rng);
            }
            if (second != Label.INTRAVENTRICULAR && second != primary) {
                int length = 1 + rng.nextInt(run);
                int start = first + rng.nextInt(run - length + 1);
                double a = firstDepth + start * spacing;
                bleeds.add(Bleed.draw(second, a, a + (length - 1) * spacing, rng));
            }
        }
        return List.copyOf(bleeds);
    }

    private static int closestTo(double depth, List<Integer> candidates, int run, double firstDepth, double spacing) {
        int best = candidates.get(0);
        for (int k : candidates) {
            double mid = firstDepth + (k + (run - 1) / 2.0) * spacing;
            double bestMid = firstDepth + (best + (run - 1) / 2.0) * spacing;
            if (Math.abs(mid - depth) < Math.abs(bestMid - depth)) best = k;
        }
        return best;
    }
}

package dev.ich.core.phantom;

import dev.ich.core.label.Label;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Plans all studies of a phantom set, in index order and cheaply (no pixels). Proportions follow the
 * real data, but small sets are nudged so every source, an odd-sized study and every bleed subtype
 * occur: tests on five or more studies can rely on meeting each quirk.
 */
final class Cohort {
    /** Share of studies that bleed; the rest are negative, as most real exams are. */
    private static final double BLEEDING_STUDIES = 0.6;
    /** Relative frequency of the subtypes as primary bleed: subdural commonest, epidural rarest (RSNA counts). */
    static final double[] SUBTYPE_WEIGHTS = {0.03, 0.22, 0.15, 0.20, 0.40};

    private Cohort() {
    }

    static List<StudyPlan> plan(PhantomOptions options) {
        int n = options.studies();
        long seed = options.seed();
        SplittableRandom cohort = new SplittableRandom(Seeds.of(seed, -1));
        Source[] sources = new Source[n];
        boolean[] odd = new boolean[n];
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = new SplittableRandom(Seeds.of(seed, i, -2));
            sources[i] = Source.pick(rng.nextDouble());
            odd[i] = rng.nextDouble() < 0.03;
        }
        if (n >= 5) {
            for (Source s : Source.values()) ensurePresent(sources, s, cohort);
            if (!anyTrue(odd)) odd[cohort.nextInt(n)] = true;
        }
        int shortStudy = options.includeShortPixelData() ? cohort.nextInt(n) : -1;
        double spacing = options.sliceSpacingMm();
        double expectedPerStudy = options.positiveRate() * options.slicesPerStudy();
        double bleeding = BLEEDING_STUDIES, offset = cohort.nextDouble(), subtypeOffset = cohort.nextInt(5);
        int bleedingSoFar = 0;
        Set<String> patients = new HashSet<>();
        List<StudyPlan> plans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = new SplittableRandom(Seeds.of(seed, i, -3));
            Head head = Head.draw(rng);
            // 460 or 630 for the usual 512, like the real set's odd slices; even, so the centre stays a pixel corner.
            int size = odd[i] ? 2 * (int) Math.round(options.size() * (i % 2 == 0 ? 0.449 : 0.615)) : options.size();
            double pixelMm = rng.nextDouble(235, 256) / size;
            double firstDepth = rng.nextDouble(-8, -4);
            int brainSlices = countSlices(firstDepth, spacing, options.slicesPerStudy(), 22 * head.scale(), 98 * head.scale());
            // Bleeding studies carry all positives; more of them bleed when one window could not hold the target.
            double f = Math.min(1, Math.max(bleeding, expectedPerStudy / Math.max(1, 0.8 * brainSlices)));
            boolean bleeds = options.positiveRate() > 0 && Math.floor((i + 1) * f + offset) > Math.floor(i * f + offset);
            List<Bleed> bleedList = List.of();
            if (bleeds) {
                Label primary = bleedingSoFar < 5 ? Label.SUBTYPES.get((int) ((bleedingSoFar + subtypeOffset) % 5)) : weighted(rng);
                bleedingSoFar++;
                int target = (int) Math.floor(expectedPerStudy / f * rng.nextDouble(0.7, 1.3) + rng.nextDouble());
                bleedList = Bleeds.place(head, primary, Math.max(1, Math.min(target, brainSlices)), firstDepth, spacing,
                        options.slicesPerStudy(), rng);
            }
            Set<Quirk> quirks = EnumSet.noneOf(Quirk.class);
            quirks.addAll(sources[i].quirks());
            boolean fov = sources[i] == Source.SIGNED_16 || rng.nextDouble() < 0.7;
            if (fov) quirks.add(Quirk.FIELD_OF_VIEW_MARKED);
            if (odd[i]) quirks.add(Quirk.ODD_SIZE);
            List<String> center, width;
            if (sources[i] == Source.UNSIGNED_12) {
                center = List.of("40", "40");
                width = List.of("80", "80");
            } else if (sources[i] == Source.MIS_ENCODED_12) {
                center = List.of("00036", "00036");
                width = List.of("00080", "00080");
            } else {
                center = List.of(List.of("40", "35", "30").get(rng.nextInt(3)));
                width = List.of(List.of("80", "100", "150").get(rng.nextInt(3)));
            }
            if (center.size() > 1) quirks.add(Quirk.MULTI_VALUED_WINDOW);
            plans.add(new StudyPlan(i, folder(i, n), Identifiers.patientId(rng, patients),
                    Identifiers.studyInstanceUid(seed, i), Identifiers.seriesInstanceUid(seed, i), sources[i],
                    size, pixelMm, spacing, firstDepth, rng.nextDouble(40, 220), fov, center, width,
                    List.of(100, 120, 120, 140).get(rng.nextInt(4)), head, bleedList,
                    i == shortStudy ? options.slicesPerStudy() / 2 : -1, quirks));
        }
        return plans;
    }

    static int countSlices(double firstDepth, double spacing, int slices, double from, double to) {
        int count = 0;
        for (int k = 0; k < slices; k++) {
            double d = firstDepth + k * spacing;
            if (d >= from && d <= to) count++;
        }
        return count;
    }

    static Label weighted(SplittableRandom rng) {
        double u = rng.nextDouble(), cumulative = 0;
        for (int k = 0; k < SUBTYPE_WEIGHTS.length; k++) {
            cumulative += SUBTYPE_WEIGHTS[k];
            if (u < cumulative) return Label.SUBTYPES.get(k);
        }
        return Label.SUBDURAL;
    }

    /** Gives a missing source to a study whose source is common, so no other source disappears. */
    private static void ensurePresent(Source[] sources, Source wanted, SplittableRandom rng) {
        for (Source s : sources) if (s == wanted) return;
        int start = rng.nextInt(sources.length);
        for (int k = 0; k < sources.length; k++) {
            int i = (start + k) % sources.length;
            if (count(sources, sources[i]) > 1) {
                sources[i] = wanted;
                return;
            }
        }
    }

    private static int count(Source[] sources, Source s) {
        int c = 0;
        for (Source x : sources) if (x == s) c++;
        return c;
    }

    private static boolean anyTrue(boolean[] flags) {
        for (boolean b : flags) if (b) return true;
        return false;
    }

    private static String folder(int study, int studies) {
        int width = Math.max(3, String.valueOf(studies - 1).length());
        return String.format("study-%0" + width + "d", study);
    }
}

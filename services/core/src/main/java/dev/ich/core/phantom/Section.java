package dev.ich.core.phantom;

import dev.ich.core.label.Label;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One axial section through a head at a depth below the vertex, rendered to HU pixel by pixel:
 * air, scalp, skull (outer table, diploe, inner table), then brain, skull base or face. Bleeds are
 * painted over the anatomy and their pixels counted, so labels follow the pixels.
 */
final class Section {
    private static final int AIR = -1000;

    private final Head head;
    private final double depth;
    private final Head.Tissue t;
    private final Oval outer, table, diploe, innerTable, dura;
    private final boolean face;
    private final Brain brain;
    private final Bleed[] bleeds;
    private final double[] bleedScale;

    Section(Head head, double depth, List<Bleed> studyBleeds) {
        this.head = head;
        this.depth = depth;
        this.t = head.tissue();
        double taper = head.taper(depth);
        double s1 = head.scalp(), s2 = s1 + head.outerTable(), s3 = s2 + head.diploe(), s4 = s3 + head.innerTable();
        this.outer = head.outer(depth);
        this.face = depth >= head.teethTop();
        this.table = face ? outer.inset(1.5) : head.surface(s1, depth).scaled(taper);
        this.diploe = head.surface(s2, depth).scaled(taper);
        this.innerTable = head.surface(s3, depth).scaled(taper);
        this.dura = head.surface(s4, depth).scaled(taper);
        this.brain = new Brain(head, depth, dura);
        this.bleeds = studyBleeds.stream().filter(b -> b.scaleAt(depth) > 0).toArray(Bleed[]::new);
        this.bleedScale = new double[bleeds.length];
        for (int i = 0; i < bleeds.length; i++) bleedScale[i] = bleeds[i].scaleAt(depth);
    }

    PhantomImage render(int size, double pixelMm, boolean fovMarked, SplittableRandom rng) {
        short[] hu = new short[size * size];
        int[] bleedCount = new int[bleeds.length];
        int top = Integer.MAX_VALUE, left = Integer.MAX_VALUE, bottom = -1, right = -1, inWindow = 0;
        double ic = (size - 1) / 2.0, fovR2 = size * size / 4.0;
        double angle = head.rotation() + head.rotationDrift() * depth, cos = Math.cos(angle), sin = Math.sin(angle);
        double cx = ic + (head.offsetU() + head.driftU() * depth) / pixelMm;
        double cy = ic + (head.offsetV() + head.driftV() * depth) / pixelMm;
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                int i = r * size + c;
                if (fovMarked && (c - ic) * (c - ic) + (r - ic) * (r - ic) > fovR2) {
                    hu[i] = (short) Source.OUTSIDE_FOV_HU;
                    continue;
                }
                double x = (c - cx) * pixelMm, y = (r - cy) * pixelMm;
                double u = cos * x + sin * y, v = sin * x - cos * y; // v points anterior, to the top of the image
                double base, sd;
                if (!outer.contains(u, v)) {
                    base = AIR;
                    sd = 6;
                } else {
                    boolean inSkull = table.contains(u, v);
                    if (inSkull) {
                        if (r < top) top = r;
                        if (r > bottom) bottom = r;
                        if (c < left) left = c;
                        if (c > right) right = c;
                    }
                    sd = t.noiseSd();
                    if (face) {
                        base = inSkull ? Face.hu(head, outer, u, v) : 40;
                        if (base > 300) sd = 80;
                    } else if (!inSkull) {
                        base = t.scalp();
                    } else if (!diploe.contains(u, v)) {
                        base = t.cortical();
                        sd = 60;
                    } else if (!innerTable.contains(u, v)) {
                        base = t.diploe();
                        sd = 90;
                    } else if (!dura.contains(u, v)) {
                        base = t.cortical();
                        sd = 60;
                    } else {
                        base = brain.hu(u, v);
                        if (brain.kind == Brain.BONE) sd = 90;
                        else base = paintBleeds(u, v, base, bleedCount);
                    }
                }
                int value = (int) Math.round(base + sd * rng.nextGaussian());
                if (value > 0 && value < 80) inWindow++;
                hu[i] = (short) Math.max(-1024, Math.min(30000, value));
            }
        }
        Map<Label, Integer> pixels = new EnumMap<>(Label.class);
        Label.SUBTYPES.forEach(l -> pixels.put(l, 0));
        for (int b = 0; b < bleeds.length; b++) pixels.merge(bleeds[b].subtype(), bleedCount[b], Integer::sum);
        EnumSet<Label> labels = EnumSet.noneOf(Label.class);
        pixels.forEach((label, n) -> {
            if (n >= Bleed.MIN_PIXELS) labels.add(label);
        });
        if (!labels.isEmpty()) labels.add(Label.ANY);
        Optional<PixelBox> box = bottom < 0 ? Optional.empty() : Optional.of(new PixelBox(top, left, bottom, right));
        return new PhantomImage(size, size, hu, labels, pixels, box, inWindow / (double) hu.length);
    }

    private double paintBleeds(double u, double v, double base, int[] count) {
        double hu = base;
        for (int b = 0; b < bleeds.length; b++) {
            Bleed bleed = bleeds[b];
            double s = bleedScale[b];
            boolean covered = switch (bleed.subtype()) {
                case EPIDURAL -> brain.kind != Brain.VENTRICLE && underSkull(bleed, s, 1 - square(brain.theta, bleed));
                case SUBDURAL -> brain.kind != Brain.VENTRICLE && underSkull(bleed, s, Math.sqrt(Math.max(0, 1 - square(brain.theta, bleed))));
                case INTRAPARENCHYMAL -> brain.kind == Brain.PARENCHYMA && brain.inBlob(u, v, bleed, s);
                case INTRAVENTRICULAR -> brain.kind == Brain.VENTRICLE && brain.posteriorTo(v, bleed.centerV() * 20 * head.scale());
                case SUBARACHNOID -> brain.kind == Brain.CISTERN
                        || brain.kind == Brain.SURFACE_CSF && bleed.angularDistance(brain.theta) < bleed.spread() * s;
                case ANY -> false;
            };
            if (covered) {
                hu = bleed.hu();
                count[b]++;
            }
        }
        return hu;
    }

    /** Epidural lens and subdural crescent: thickness below the inner table, tapering along the skull. */
    private boolean underSkull(Bleed bleed, double s, double profile) {
        return profile > 0 && brain.depthIn < bleed.size() * s * profile;
    }

    private static double square(double theta, Bleed bleed) {
        double x = bleed.angularDistance(theta) / bleed.spread();
        return x >= 1 ? 2 : x * x;
    }
}

package dev.ich.core.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 2.5D input: a slice with its {@code context} neighbours on each side within its series, ordered by position, as
 * extra channels (the 3rd place of RSNA 2019 used adjacent slices as channels). A slice at the edge of its series
 * stands in for the neighbours it lacks (the nearest slice there is), so every sample has the same channel count.
 */
public final class SliceContext {
    /** More would make a network input of over 60 channels from three-channel PNGs; nobody has asked for it. */
    public static final int MAX = 10;

    private SliceContext() {
    }

    public static int require(int context) {
        if (context < 0 || context > MAX) throw new IllegalArgumentException("context must be 0.." + MAX + " neighbours each side, not " + context);
        return context;
    }

    /** One slice of a series as the stacking sees it. */
    public record Placed(String uid, SlicePlace place) {
    }

    /**
     * For each uid, the 2 x context uids of its neighbours: the {@code context} below it (farthest first), then the
     * {@code context} above it (nearest first); with its own uid between them that is the channel order of
     * {@link #channelOrder}. Ties in position are ordered by uid, so the result does not depend on input order.
     */
    public static Map<String, List<String>> neighbours(List<Placed> slices, int context) {
        require(context);
        Map<String, List<Placed>> bySeries = new LinkedHashMap<>();
        for (Placed p : slices) bySeries.computeIfAbsent(p.place().study() + "\u0000" + p.place().series(), k -> new ArrayList<>()).add(p);
        Map<String, List<String>> out = new HashMap<>();
        for (List<Placed> series : bySeries.values()) {
            series.sort(Comparator.comparingDouble((Placed p) -> p.place().position()).thenComparing(Placed::uid));
            for (int i = 0; i < series.size(); i++) {
                List<String> n = new ArrayList<>(2 * context);
                for (int d = -context; d <= context; d++) {
                    if (d == 0) continue;
                    n.add(series.get(Math.max(0, Math.min(series.size() - 1, i + d))).uid());
                }
                if (out.put(series.get(i).uid(), List.copyOf(n)) != null) {
                    throw new IllegalArgumentException("slice " + series.get(i).uid() + " is listed twice");
                }
            }
        }
        return out;
    }

    /** The images in channel order: neighbours below, the slice, neighbours above. */
    public static <T> List<T> channelOrder(T slice, List<T> neighbours) {
        if (neighbours.size() % 2 != 0) throw new IllegalArgumentException("neighbours come in pairs, got " + neighbours.size());
        List<T> out = new ArrayList<>(neighbours.size() + 1);
        out.addAll(neighbours.subList(0, neighbours.size() / 2));
        out.add(slice);
        out.addAll(neighbours.subList(neighbours.size() / 2, neighbours.size()));
        return out;
    }

    /** Channel-major images of one shape, concatenated along the channel axis. */
    public static float[] stack(List<float[]> images) {
        int length = images.get(0).length;
        float[] out = new float[length * images.size()];
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).length != length) {
                throw new IllegalArgumentException("image " + i + " holds " + images.get(i).length + " values, the first " + length);
            }
            System.arraycopy(images.get(i), 0, out, i * length, length);
        }
        return out;
    }
}

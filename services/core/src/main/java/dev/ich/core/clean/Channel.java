package dev.ich.core.clean;

import java.util.Locale;

/**
 * One 8-bit channel of the cleaned image: a window from {@link Windows}, or the histogram-scaled
 * channel ({@code hist}) that maps HU through the pipeline's {@link HistogramBins}.
 */
public record Channel(String name, Window window) {
    public static final String HIST_NAME = "hist";
    public static final Channel HIST = new Channel(HIST_NAME, null);

    public boolean histogramScaled() {
        return window == null;
    }

    public static Channel parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals(HIST_NAME)) return HIST;
        Window w = Windows.require(n);
        return new Channel(w.name(), w);
    }

    @Override
    public String toString() {
        return name;
    }
}

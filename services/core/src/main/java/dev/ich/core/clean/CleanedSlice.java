package dev.ich.core.clean;

import java.util.Map;

/**
 * The cleaning result for one slice: the metadata row (header, summary columns, pipeline version,
 * kept or drop_reason, crop box), and for kept slices the PNG. Timings are per stage in nanoseconds.
 */
public record CleanedSlice(Map<String, Object> row, boolean kept, String dropReason, CropBox crop, byte[] png,
                           StageTimings timings) {
    /** The only drop reason the notebooks' rule produces. */
    public static final String BELOW_BRAIN_WINDOW_THRESHOLD = "below_brain_window_threshold";

    /** Nanoseconds spent in each stage after reading: fix and statistics, mask and crop, resize and channels, PNG. */
    public record StageTimings(long fixAndStatistics, long maskAndCrop, long resizeAndChannels, long png) {
        public long total() {
            return fixAndStatistics + maskAndCrop + resizeAndChannels + png;
        }
    }
}

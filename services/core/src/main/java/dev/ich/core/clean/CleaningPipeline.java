package dev.ich.core.clean;

import dev.ich.core.dicom.DicomSlice;
import dev.ich.core.dicom.PixelAttributes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notebooks' cleaning step for one decoded slice (docs/reference-experiment.md, "The cleaning step", steps 2-7):
 * pixel fix, HU, summary columns, the drop rule, resampling to 512, brain-mask crop, resize and
 * channels, PNG. Thread-safe: every call works on its own arrays.
 */
public final class CleaningPipeline {
    private final PipelineConfig config;
    private final PipelineVersion version;
    private final int pngLevel;
    private final BrainMask mask;
    private final HistogramBins.Lookup histLut;

    public CleaningPipeline(PipelineConfig config) {
        this(config, PngEncoder.DEFAULT_LEVEL);
    }

    /**
     * @param pngLevel deflate level of the PNGs, 0 (stored, fastest, twice the bytes) to 9; it changes
     *                 file size and speed, never pixels, so it is not part of the pipeline version
     */
    public CleaningPipeline(PipelineConfig config, int pngLevel) {
        if (pngLevel < 0 || pngLevel > 9) throw new IllegalArgumentException("PNG level must be within 0..9, got " + pngLevel);
        this.pngLevel = pngLevel;
        this.config = config;
        this.version = config.version();
        this.mask = new BrainMask(config.maskSigma(), config.maskThreshold());
        this.histLut = config.bins().lookup();
    }

    public PipelineConfig config() {
        return config;
    }

    public PipelineVersion version() {
        return version;
    }

    public CleanedSlice clean(DicomSlice slice) {
        long t0 = System.nanoTime();
        // The decoded values are the caller's: copy only when the fix is going to change them.
        int[] stored = PixelFix.applies(slice.attributes()) ? slice.pixels().values().clone() : slice.pixels().values();
        PixelAttributes attributes = PixelFix.applyInPlace(stored, slice.attributes());
        boolean fixed = attributes != slice.attributes();
        float[] hu = new float[stored.length];
        SliceStatistics stats = SliceStatistics.computeAndRescale(stored, attributes.rescaleSlope(),
                attributes.rescaleIntercept(), hu);

        Map<String, Object> row = new LinkedHashMap<>(slice.header().row());
        row.put("img_min", (long) stats.min());
        row.put("img_max", (long) stats.max());
        row.put("img_mean", stats.mean());
        row.put("img_std", stats.std());
        row.put("img_pct_window", stats.pctWindow());
        row.put("pixel_fixed", fixed ? 1 : 0);
        row.put("pipeline", version.id());
        long t1 = System.nanoTime();

        if (stats.pctWindow() < config.dropThreshold()) {
            row.put("kept", false);
            row.put("drop_reason", CleanedSlice.BELOW_BRAIN_WINDOW_THRESHOLD);
            return new CleanedSlice(row, false, CleanedSlice.BELOW_BRAIN_WINDOW_THRESHOLD, null, null,
                    new CleanedSlice.StageTimings(t1 - t0, 0, 0, 0));
        }

        int n = config.fullSize();
        if (attributes.rows() != n || attributes.columns() != n) {
            hu = Bilinear.resample(hu, attributes.columns(), 0, 0, attributes.rows(), attributes.columns(), n, n);
        }
        CropBox box = mask.cropBox(hu, n);
        long t2 = System.nanoTime();

        float[] resized = Bilinear.resample(hu, n, box, config.size(), config.size());
        byte[] pixels = channels(resized);
        long t3 = System.nanoTime();
        byte[] png = PngEncoder.encode(pixels, config.size(), config.size(), config.channels().size(), pngLevel);
        long t4 = System.nanoTime();

        row.put("kept", true);
        row.put("crop_row", box.row());
        row.put("crop_col", box.column());
        row.put("crop_side", box.side());
        return new CleanedSlice(row, true, null, box, png, new CleanedSlice.StageTimings(t1 - t0, t2 - t1, t3 - t2, t4 - t3));
    }

    /** Interleaved 8-bit channels: value v in [0, 1] becomes floor(v x 255 + 0.5). */
    byte[] channels(float[] hu) {
        List<Channel> channels = config.channels();
        int k = channels.size();
        byte[] out = new byte[hu.length * k];
        for (int c = 0; c < k; c++) {
            Channel ch = channels.get(c);
            if (ch.histogramScaled()) {
                for (int i = 0; i < hu.length; i++) out[i * k + c] = histLut.toByte(hu[i]);
            } else {
                float lo = ch.window().lower(), scale = 255f / (ch.window().upper() - ch.window().lower());
                for (int i = 0; i < hu.length; i++) {
                    float v = (hu[i] - lo) * scale;
                    out[i * k + c] = (byte) (v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5f));
                }
            }
        }
        return out;
    }

    static byte toByte(double v) {
        return (byte) (int) Math.floor(v * 255 + 0.5);
    }
}

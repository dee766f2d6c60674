package dev.ich.core.clean;

import java.util.List;

/**
 * Everything that decides a cleaned image. Its {@link #version()} is a stable hash of all of it, so
 * a PNG under clean/&lt;version&gt;/ always means the same transform, in cleaning and in serving.
 *
 * @param channels       output channels in order (window names or "hist"); default brain, subdural, hist
 * @param size           side of the square output in pixels (default 256)
 * @param dropThreshold  slices with img_pct_window below it are dropped (default 0.02)
 * @param fullSize       non-square or other-sized slices are resampled to this first (default 512)
 * @param maskSigma      Gaussian sigma as a fraction of the width (default 0.3)
 * @param maskThreshold  blurred mask threshold (default 0.05)
 * @param bins           breakpoints of the hist-scaled channel
 */
public record PipelineConfig(List<Channel> channels, int size, double dropThreshold, int fullSize,
                             double maskSigma, double maskThreshold, HistogramBins bins) {
    /** Bumped when the algorithm changes in a way the fields above do not show. */
    public static final int ALGORITHM_REVISION = 1;

    public PipelineConfig {
        channels = List.copyOf(channels);
        if (channels.size() != 1 && channels.size() != 3) {
            throw new IllegalArgumentException("a cleaned PNG has 1 or 3 channels, got " + channels.size() + ": " + channels);
        }
        if (size < 8 || size > 4096) throw new IllegalArgumentException("output size must be within 8..4096, got " + size);
        if (dropThreshold < 0 || dropThreshold > 1) throw new IllegalArgumentException("drop threshold must be within 0..1");
        if (fullSize < 8) throw new IllegalArgumentException("full size must be at least 8");
        if (maskSigma <= 0 || maskThreshold <= 0 || maskThreshold >= 1) throw new IllegalArgumentException("bad mask parameters");
    }

    /** The notebooks' choices: brain, subdural, hist; 256 px; threshold 0.02; 512; sigma 0.3; 0.05; shipped bins. */
    public static PipelineConfig defaults() {
        return new PipelineConfig(List.of(Channel.parse("brain"), Channel.parse("subdural"), Channel.HIST),
                256, 0.02, 512, 0.3, 0.05, HistogramBins.defaults());
    }

    public PipelineConfig withChannels(List<Channel> c) {
        return new PipelineConfig(c, size, dropThreshold, fullSize, maskSigma, maskThreshold, bins);
    }

    public PipelineConfig withSize(int s) {
        return new PipelineConfig(channels, s, dropThreshold, fullSize, maskSigma, maskThreshold, bins);
    }

    public PipelineConfig withDropThreshold(double t) {
        return new PipelineConfig(channels, size, t, fullSize, maskSigma, maskThreshold, bins);
    }

    public PipelineConfig withBins(HistogramBins b) {
        return new PipelineConfig(channels, size, dropThreshold, fullSize, maskSigma, maskThreshold, b);
    }

    public PipelineVersion version() {
        return PipelineVersion.of(this);
    }
}

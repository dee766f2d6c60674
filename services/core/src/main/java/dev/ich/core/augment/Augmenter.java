package dev.ich.core.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Applies flip, then rotation, then blur, each with its configured probability. Thread-safe; the
 * randomness comes from the caller so a seed reproduces an epoch (and a preview) exactly.
 */
public final class Augmenter {
    private final AugmentationConfig config;

    public Augmenter(AugmentationConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
    }

    public AugmentationConfig config() {
        return config;
    }

    /** One augmented copy of {@code img} and what was done to it. */
    public Augmented apply(PlanarImage img, RandomGenerator rng) {
        // Always five draws, whatever was chosen: changing one probability then leaves the other
        // augmentations of a seed unchanged, and the preview stays comparable across settings.
        boolean flip = rng.nextDouble() < config.flipProbability();
        boolean rotate = rng.nextDouble() < config.rotationProbability();
        double angle = (2 * rng.nextDouble() - 1) * config.maxRotationDegrees();
        boolean blur = rng.nextDouble() < config.blurProbability();
        // At least a quarter of the maximum: a sigma near 0 changes nothing yet reads as "blur" in a caption.
        double sigma = (0.25 + 0.75 * rng.nextDouble()) * config.maxBlurSigma();

        double degrees = rotate ? angle : 0;
        double blurSigma = blur ? sigma : 0;
        PlanarImage out = img;
        if (degrees != 0) out = rotate(out, degrees, flip); // one pass for both: the flip is part of the sampling
        else if (flip) out = flipHorizontal(out);
        if (blurSigma > 0) out = blur(out, blurSigma);
        return new Augmented(out, flip, degrees, blurSigma);
    }

    /**
     * An augmented image and its recipe.
     *
     * @param rotationDegrees counter-clockwise as displayed; 0 when not rotated
     * @param blurSigma       Gaussian sigma in pixels; 0 when not blurred
     */
    public record Augmented(PlanarImage image, boolean flipped, double rotationDegrees, double blurSigma) {
        /** For captions and logs, e.g. {@code flip, rotate +7.3°, blur 0.6}; {@code none} when unchanged. */
        public String describe() {
            List<String> parts = new ArrayList<>(3);
            if (flipped) parts.add("flip");
            if (rotationDegrees != 0) parts.add(String.format(Locale.ROOT, "rotate %+.1f°", rotationDegrees));
            if (blurSigma > 0) parts.add(String.format(Locale.ROOT, "blur %.1f", blurSigma));
            return parts.isEmpty() ? "none" : String.join(", ", parts);
        }
    }

    /** Mirrors left and right: a bleed on the patient's left looks the same on the right. */
    public static PlanarImage flipHorizontal(PlanarImage img) {
        int w = img.width(), rows = img.channels() * img.height();
        float[] src = img.values();
        float[] out = new float[src.length];
        for (int r = 0; r < rows; r++) {
            int o = r * w;
            for (int x = 0; x < w; x++) out[o + x] = src[o + w - 1 - x];
        }
        return PlanarImage.wrap(img.channels(), img.height(), w, out);
    }

    /**
     * Rotates about the image centre by {@code degrees}, counter-clockwise as displayed (y down), with
     * bilinear interpolation. Pixels that come from outside the image are 0: after windowing the
     * background is black, so a black corner adds nothing the model has not seen.
     */
    public static PlanarImage rotate(PlanarImage img, double degrees) {
        return rotate(img, degrees, false);
    }

    /** Rotates {@code img}, flipped first when {@code mirror}. */
    static PlanarImage rotate(PlanarImage img, double degrees, boolean mirror) {
        int ch = img.channels(), h = img.height(), w = img.width(), plane = h * w;
        float[] src = img.values();
        float[] out = new float[src.length];
        double rad = Math.toRadians(degrees);
        double cos = Math.cos(rad), sin = Math.sin(rad);
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            double dy = y - cy;
            // Inverse mapping: output (x, y) samples source (cx + dx cos - dy sin, cy + dx sin + dy cos).
            double sx = cx - cx * cos - dy * sin;
            double sy = cy - cx * sin + dy * cos;
            double stepX = cos;
            if (mirror) { // the flipped image at column sx is the original at column w - 1 - sx
                sx = (w - 1) - sx;
                stepX = -cos;
            }
            for (int x = 0; x < w; x++, sx += stepX, sy += sin) {
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) continue; // all four neighbours outside: stays 0
                float fx = (float) (sx - x0), fy = (float) (sy - y0);
                float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                int o = y * w + x;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
                    int i = y0 * w + x0;
                    for (int c = 0, p = 0; c < ch; c++, p += plane) {
                        out[p + o] = clamp(src[p + i] * w00 + src[p + i + 1] * w01 + src[p + i + w] * w10 + src[p + i + w + 1] * w11);
                    }
                } else {
                    boolean l = x0 >= 0, r = x0 + 1 < w, t = y0 >= 0, b = y0 + 1 < h;
                    for (int c = 0, p = 0; c < ch; c++, p += plane) {
                        float v = 0;
                        if (t && l) v += src[p + y0 * w + x0] * w00;
                        if (t && r) v += src[p + y0 * w + x0 + 1] * w01;
                        if (b && l) v += src[p + (y0 + 1) * w + x0] * w10;
                        if (b && r) v += src[p + (y0 + 1) * w + x0 + 1] * w11;
                        out[p + o] = clamp(v);
                    }
                }
            }
        }
        return PlanarImage.wrap(ch, h, w, out);
    }

    /**
     * Separable Gaussian blur, kernel radius ceil(3 sigma), borders replicated so edges do not darken.
     * Sigma 0 returns the image unchanged.
     */
    public static PlanarImage blur(PlanarImage img, double sigma) {
        if (!(sigma >= 0)) throw new IllegalArgumentException("sigma must be >= 0, got " + sigma);
        int radius = (int) Math.ceil(3 * sigma);
        if (radius == 0) return img;
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] = (float) Math.exp(-(k * k) / (2 * sigma * sigma));
        for (int k = 0; k < kernel.length; k++) kernel[k] /= (float) sum;

        int ch = img.channels(), h = img.height(), w = img.width(), plane = h * w;
        float[] src = img.values();
        float[] tmp = new float[plane];
        float[] out = new float[src.length];
        for (int c = 0, p = 0; c < ch; c++, p += plane) {
            java.util.Arrays.fill(tmp, 0f);
            for (int y = 0; y < h; y++) {
                int row = p + y * w, t = y * w;
                // Tap-major inner loops over contiguous x: the JIT vectorises these; clamping only at the ends.
                int lo = Math.min(radius, w), hi = Math.max(lo, w - radius);
                for (int k = -radius; k <= radius; k++) {
                    float kw = kernel[k + radius];
                    for (int x = lo; x < hi; x++) tmp[t + x] += src[row + x + k] * kw;
                }
                for (int x = 0; x < w; x++) {
                    if (x == lo && hi > lo) x = hi;
                    if (x >= w) break;
                    float v = 0;
                    for (int k = -radius; k <= radius; k++) v += src[row + Math.min(w - 1, Math.max(0, x + k))] * kernel[k + radius];
                    tmp[t + x] = v;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int k = -radius; k <= radius; k++) {
                    int from = Math.min(h - 1, Math.max(0, y + k)) * w;
                    float kw = kernel[k + radius];
                    int to = p + y * w;
                    for (int x = 0; x < w; x++) out[to + x] += tmp[from + x] * kw;
                }
            }
            for (int i = p; i < p + plane; i++) out[i] = clamp(out[i]);
        }
        return PlanarImage.wrap(ch, h, w, out);
    }

    // Rounding can push a weighted sum of values in [0, 1] a float ulp past 1.
    private static float clamp(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }
}

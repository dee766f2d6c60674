package dev.ich.model.explain;

import dev.ich.model.Plots;

import java.awt.image.BufferedImage;

/**
 * A Grad-CAM map over its slice: the slice's grey channel (the brain window, as a radiologist reads it), and where the
 * map reaches {@link #FLOOR} the inferno colour of its value blended in at {@link #ALPHA}. Below the floor the slice
 * shows through untouched, so the weak, diffuse part of the map does not tint the whole head.
 */
public final class HeatmapOverlay {
    /** Map values below this are left transparent. */
    public static final float FLOOR = 0.2f;
    /** Weight of the colour over the grey slice. */
    public static final float ALPHA = 0.4f;

    /** Matplotlib's inferno (perceptually uniform, readable in greyscale print) at nine stops, 0 to 1. */
    private static final int[][] INFERNO = {
            {0, 0, 4}, {31, 12, 72}, {85, 15, 109}, {136, 34, 106}, {186, 54, 85},
            {227, 89, 51}, {249, 140, 10}, {249, 201, 50}, {252, 255, 164}};

    private HeatmapOverlay() {
    }

    /** {@code cam} and {@code grey} are both H x W with values in [0, 1] ({@code grey} e.g. from {@link #channel}). */
    public static BufferedImage render(float[][] cam, float[][] grey) {
        int height = grey.length;
        int width = height == 0 ? 0 : grey[0].length;
        if (height == 0 || width == 0 || cam.length != height || cam[0].length != width) {
            throw new IllegalArgumentException("the map is " + cam.length + " x " + (cam.length == 0 ? 0 : cam[0].length) + ", the slice "
                    + height + " x " + width + ": they must be the same size");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float g = 255f * clamp(grey[y][x]);
                float v = clamp(cam[y][x]);
                float r = g, gr = g, b = g;
                if (v >= FLOOR) {
                    int[] c = inferno(v);
                    r = (1 - ALPHA) * g + ALPHA * c[0];
                    gr = (1 - ALPHA) * g + ALPHA * c[1];
                    b = (1 - ALPHA) * g + ALPHA * c[2];
                }
                image.setRGB(x, y, (Math.round(r) << 16) | (Math.round(gr) << 8) | Math.round(b));
            }
        }
        return image;
    }

    /** The overlay as PNG bytes. */
    public static byte[] png(float[][] cam, float[][] grey) {
        return png(render(cam, grey));
    }

    /** An overlay from {@link #render} as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        return Plots.png(image);
    }

    /** Channel {@code c} of a channel-first {@code C x H x W} image (the network's input layout) as H x W. */
    public static float[][] channel(float[] image, int c, int height, int width) {
        if (c < 0 || (long) (c + 1) * height * width > image.length) {
            throw new IllegalArgumentException("channel " + c + " of " + height + " x " + width + " is outside an image of " + image.length + " floats");
        }
        float[][] out = new float[height][width];
        for (int y = 0; y < height; y++) System.arraycopy(image, c * height * width + y * width, out[y], 0, width);
        return out;
    }

    /** The colour of a map value in [0, 1]. */
    static int[] inferno(float v) {
        float at = clamp(v) * (INFERNO.length - 1);
        int i = Math.min((int) at, INFERNO.length - 2);
        float t = at - i;
        int[] c = new int[3];
        for (int k = 0; k < 3; k++) c[k] = Math.round(INFERNO[i][k] + t * (INFERNO[i + 1][k] - INFERNO[i][k]));
        return c;
    }

    private static float clamp(float v) {
        return Float.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}

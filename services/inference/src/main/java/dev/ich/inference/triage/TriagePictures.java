package dev.ich.inference.triage;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.StudyPredicted.KeySlice;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The worklist's pictures of a key slice: the slice as the model saw it (its first channel) and its heatmap. */
final class TriagePictures {
    static final String SLICE = "slice";
    static final String HEATMAP = "heatmap";

    private TriagePictures() {
    }

    static String heatmapKey(String study, KeySlice slice) {
        return ObjectKeys.resultPicture(study, slice.sopInstanceUid(), slice.label(), HEATMAP);
    }

    static String sliceKey(String study, KeySlice slice) {
        return ObjectKeys.resultPicture(study, slice.sopInstanceUid(), slice.label(), SLICE);
    }

    /** Channel 0 of a channel-first image in [0, 1] (the brain window in ich's pipelines) as a greyscale PNG. */
    static byte[] greyscale(float[] image, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < size * size; i++) pixels[i] = (byte) Math.round(Math.max(0f, Math.min(1f, image[i])) * 255f);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}

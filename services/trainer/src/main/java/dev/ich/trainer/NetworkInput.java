package dev.ich.trainer;

import dev.ich.core.augment.Augmenter;
import dev.ich.core.augment.PlanarImage;
import dev.ich.core.dataset.DatasetSample;
import dev.ich.core.dataset.SliceContext;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A sample as the network sees it: its PNG's channels, or with 2.5D context its neighbours' and its own channels
 * stacked in {@link SliceContext#channelOrder} (below, the slice, above). Every image of a stack gets the same
 * augmentation (one seed per sample and epoch), so neighbours stay aligned with the slice.
 */
record NetworkInput(int channels, int height, int width, float[] data) {

    /** @param seed null for no augmentation; else the sample's seed for this epoch */
    static NetworkInput of(DatasetSample s, Augmenter augmenter, Long seed) {
        List<byte[]> pngs = SliceContext.channelOrder(s.png(), s.neighbours());
        List<float[]> planes = new ArrayList<>(pngs.size());
        int channels = 0, height = -1, width = -1;
        for (byte[] png : pngs) {
            PlanarImage img = PlanarImage.fromPng(png);
            if (augmenter != null) img = augmenter.apply(img, new SplittableRandom(seed)).image();
            if (height < 0) {
                height = img.height();
                width = img.width();
            } else if (img.height() != height || img.width() != width) {
                throw new IllegalStateException("slice " + s.uid() + " has a neighbour of " + img.height() + "x" + img.width() + ", itself "
                        + height + "x" + width + ": one dataset must come from one pipeline");
            }
            channels += img.channels();
            planes.add(img.data());
        }
        return new NetworkInput(channels, height, width, planes.size() == 1 ? planes.get(0) : SliceContext.stack(planes));
    }

    /** The channel of the slice itself (not a neighbour) that holds channel {@code c} of its PNG: for Grad-CAM's grey. */
    static int ownChannel(DatasetSample s, int perImage, int c) {
        return s.context() * perImage + c;
    }
}

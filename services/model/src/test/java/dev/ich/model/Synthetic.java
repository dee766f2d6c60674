package dev.ich.model;


import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A separable toy task in memory: a positive image has a bright square blob somewhere on faint noise, a negative
 * only the noise. For six outputs, the blob sets {@code any} and one subtype (by its quadrant).
 */
final class Synthetic {
    private Synthetic() {
    }

    static BatchSource batches(int samples, int batchSize, int channels, int size, int outputs, long seed) {
        List<Batch> batches = new ArrayList<>();
        Random random = new Random(seed);
        int pixels = channels * size * size;
        for (int start = 0; start < samples; start += batchSize) {
            int n = Math.min(batchSize, samples - start);
            float[] images = new float[n * pixels];
            float[] targets = new float[n * outputs];
            List<String> uids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                uids.add("ID_" + (start + i));
                for (int p = 0; p < pixels; p++) images[i * pixels + p] = 0.2f * random.nextFloat();
                boolean positive = (start + i) % 2 == 0;
                if (positive) {
                    int blob = size / 4;
                    int y0 = random.nextInt(size - blob);
                    int x0 = random.nextInt(size - blob);
                    for (int c = 0; c < channels; c++)
                        for (int y = y0; y < y0 + blob; y++)
                            for (int x = x0; x < x0 + blob; x++) images[i * pixels + c * size * size + y * size + x] = 1f;
                    targets[i * outputs + outputs - 1] = 1;
                    if (outputs > 1) targets[i * outputs + (x0 < size / 2 ? 0 : 1)] = 1;
                }
            }
            batches.add(new Batch(uids, images, targets, channels, size, size));
        }
        return BatchSource.of(batches);
    }
}

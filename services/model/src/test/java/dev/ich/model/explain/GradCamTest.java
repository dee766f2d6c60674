package dev.ich.model.explain;

import dev.ich.core.training.Schedule;
import dev.ich.core.training.Optimizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.ich.core.training.Architecture;
import dev.ich.core.training.Task;
import dev.ich.model.Batch;
import dev.ich.model.BatchSource;
import dev.ich.model.Classifier;
import dev.ich.model.FitListener;
import dev.ich.model.FitPlan;
import dev.ich.model.Learner;
import dev.ich.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GradCamTest {
    static final int SIZE = 64;
    static final int BLOB = 14;

    @Test
    void givenAHeadOfKnownWeights_thenTheMapIsTheReluOfTheMapsWeightedByTheLabelsMeanGradient() {
        // Features: the input itself (2 maps of 4 x 4); head: average pooling, then logit_k = sum_c W[k][c] mean(A_c).
        // So d logit_k / d A_c = W[k][c] / 16 everywhere, and the map is relu(sum_c W[k][c] A_c) up to its scale.
        float[][] w = {{1f, -2f}, {-1f, 0.5f}};
        try (NDManager manager = NDManager.newBaseManager()) {
            Block features = new LambdaBlock(x -> x, "identity");
            SequentialBlock head = new SequentialBlock()
                    .add(new LambdaBlock(x -> new NDList(Pool.globalAvgPool2d(x.singletonOrThrow()).reshape(x.singletonOrThrow().getShape().get(0), -1))))
                    .add(Linear.builder().setUnits(2).build());
            head.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 4, 4));
            for (Parameter p : head.getParameters().values()) {
                if (p.getType() == Parameter.Type.WEIGHT) p.getArray().set(FloatBuffer.wrap(new float[] {w[0][0], w[0][1], w[1][0], w[1][1]}));
                else p.getArray().set(FloatBuffer.wrap(new float[] {0.3f, -0.1f}));
            }
            Map<String, float[]> weights = values(head, false);
            GradCam cam = new GradCam(List.of(features), head, 2, 4, 4);
            Random random = new Random(5);
            float[] images = new float[2 * 2 * 16];
            for (int i = 0; i < images.length; i++) images[i] = random.nextFloat();

            Heatmaps label0 = cam.compute(images, 2, GradCam.label(0));
            Heatmaps label1 = cam.compute(images, 2, GradCam.label(1));

            for (int k = 0; k < 2; k++) {
                Heatmaps h = k == 0 ? label0 : label1;
                assertThat(h.labels()).containsExactly(k, k);
                assertThat(h.featureHeight()).isEqualTo(4);
                for (int i = 0; i < 2; i++) {
                    float[][] expected = new float[4][4];
                    float max = 0;
                    double logit = k == 0 ? 0.3 : -0.1;
                    for (int y = 0; y < 4; y++) {
                        for (int x = 0; x < 4; x++) {
                            float a0 = images[i * 32 + y * 4 + x];
                            float a1 = images[i * 32 + 16 + y * 4 + x];
                            expected[y][x] = Math.max(0, w[k][0] * a0 + w[k][1] * a1);
                            max = Math.max(max, expected[y][x]);
                            logit += (w[k][0] * a0 + w[k][1] * a1) / 16;
                        }
                    }
                    for (int y = 0; y < 4; y++) {
                        for (int x = 0; x < 4; x++) assertThat(h.cams()[i][y][x]).as("image %d label %d at %d,%d", i, k, y, x)
                                .isCloseTo(expected[y][x] / max, within(1e-5f));
                    }
                    assertThat(h.probability(i)).isCloseTo((float) (1 / (1 + Math.exp(-logit))), within(1e-5f));
                }
            }
            // Freshly initialised weights ask for gradients: they still do, unchanged, and nothing was added to them.
            assertThat(values(head, false)).containsExactlyEntriesOf(weights);
            assertThat(values(head, true)).hasSize(2).allSatisfy((name, g) -> assertThat(g).containsOnly(0f));
        }
    }

    @Test
    void upsamplingIsPyTorchsBilinearWithHalfPixelCentres() {
        // torch.nn.functional.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=4, mode="bilinear", align_corners=False)
        float[][] up = GradCam.upsample(new float[] {1, 2, 3, 4}, 0, 2, 2, 4, 4);
        assertThat(up[0]).containsExactly(new float[] {1f, 1.25f, 1.75f, 2f}, within(1e-6f));
        assertThat(up[1]).containsExactly(new float[] {1.5f, 1.75f, 2.25f, 2.5f}, within(1e-6f));
        assertThat(up[3]).containsExactly(new float[] {3f, 3.25f, 3.75f, 4f}, within(1e-6f));
    }

    /**
     * Every image carries a bright bar (a distractor, in both classes); a positive one also has a square blob, in
     * another quadrant. At 64 px ResNet-18's last stage is 2 x 2, one cell per quadrant: the map's peak should be in the
     * blob's quadrant, not the bar's (where the activations alone, or a sign error, would put it; chance is 1 in 4).
     * One training is not enough evidence either way: every cell of that stage sees the whole image, so a network can
     * call every positive right while its map points elsewhere. Measured on 24 positives, 192 training images, 3 epochs,
     * initial weights from seed 3, training seeds 0..6: 14, 24, 23, 19, 1, 19, 15 peaks in the blob's quadrant (seed 4
     * called all 24 right and pointed at the bar in 7). So the test pools three trainings, each its own initial weights
     * and draws (measured: 14, 18 and 15 of 24 in the blob's quadrant, 11 of 72 in the bar's; chance gives 18 of 72).
     */
    @Test
    void givenTrainedResNets_thenTheMapPeaksInTheQuadrantOfTheBlobNotOfTheDistractor(@TempDir Path dir) throws Exception {
        Phantoms train = new Phantoms(192, 8, 1, 31);
        Phantoms valid = new Phantoms(48, 48, 1, 32);
        int positives = 0, inBlob = 0, inBar = 0, called = 0;
        for (long seed = 0; seed < 3; seed++) {
            Path saved = dir.resolve("seed-" + seed);
            FitPlan plan = new FitPlan(0, 3, 1e-2, 1e-2, Schedule.ONE_CYCLE, Optimizer.SGD, 1e-4, seed);
            try (Learner learner = Learner.create(new ModelSpec(Architecture.RESNET18, Task.ANY, 1, SIZE, 0.25), 3 + seed)) {
                learner.fit(plan, train.source(), valid.source(), 0, new FitListener() {
                });
                learner.save(saved);
            }
            try (Classifier classifier = Classifier.load(saved)) {
                Batch batch = valid.batches.get(0);
                Heatmaps maps = GradCam.of(classifier).compute(batch.images(), batch.size(), GradCam.label(0));
                int seedBlob = 0, seedBar = 0;
                for (int i = 0; i < batch.size(); i++) {
                    if (valid.blobQuadrant.get(i) < 0) continue;
                    positives++;
                    if (maps.probability(i) >= 0.5) called++;
                    int peak = quadrant(peak(maps.cams()[i]));
                    if (peak == valid.blobQuadrant.get(i)) seedBlob++;
                    if (peak == valid.barQuadrant.get(i)) seedBar++;
                }
                inBlob += seedBlob;
                inBar += seedBar;
                System.out.printf(Locale.ROOT, "Grad-CAM, training seed %d: peak in the blob's quadrant %d, in the bar's %d%n", seed, seedBlob, seedBar);
            }
        }
        System.out.printf(Locale.ROOT, "Grad-CAM on %d positives of 3 trainings: peak in the blob's quadrant %d, in the bar's %d; called positive %d%n",
                positives, inBlob, inBar, called);
        assertThat(called).as("the networks learnt the task").isGreaterThan(positives * 3 / 4);
        // Chance gives 18 of 72; more than 36 has odds far under 1 in 10^6.
        assertThat(inBlob).as("peaks in the blob's quadrant (chance: a quarter)").isGreaterThan(positives / 2);
        assertThat(inBar).as("peaks in the distractor's quadrant").isLessThan(positives / 4);
    }

    @Test
    void aPassLeavesTheWeightsAndTheirGradientsAsTheyWere(@TempDir Path dir) throws Exception {
        Phantoms data = new Phantoms(8, 8, 6, 41);
        Batch batch = data.batches.get(0);
        ModelSpec spec = new ModelSpec(Architecture.RESNET18, Task.MULTILABEL, 1, SIZE, 0.25);
        try (Learner learner = Learner.create(spec, 9)) {
            learner.fit(new FitPlan(0, 1, 1e-3, 1e-3, Schedule.CONSTANT, Optimizer.ADAMW, 0.01), data.source(), data.source(), 0,
                    new FitListener() {
                    });
            // A learner's weights ask for gradients (training): the pass must neither change them nor add to them.
            Map<String, float[]> weights = values(learner.network().block(), false);
            Map<String, float[]> gradients = values(learner.network().block(), true);
            assertThat(gradients).isNotEmpty();
            Heatmaps maps = GradCam.of(learner).compute(batch.images(), batch.size(), GradCam.mostProbable());
            assertThat(maps.size()).isEqualTo(8);
            assertThat(values(learner.network().block(), false)).containsExactlyEntriesOf(weights);
            assertThat(values(learner.network().block(), true)).containsExactlyEntriesOf(gradients);
            learner.save(dir);
        }
        try (Classifier classifier = Classifier.load(dir)) {
            float[] before = classifier.probabilities(batch.images(), batch.size());
            Map<String, float[]> weights = values(classifier.network().block(), false);
            Heatmaps maps = GradCam.of(classifier).compute(batch.images(), batch.size(), GradCam.label(5));
            assertThat(maps.probabilities()).containsExactly(before, within(1e-5f));
            assertThat(values(classifier.network().block(), false)).containsExactlyEntriesOf(weights);
            assertThat(classifier.network().block().getParameters().values()).noneMatch(p -> p.getArray().hasGradient());
            assertThat(classifier.probabilities(batch.images(), batch.size())).containsExactly(before);
            for (float[][] cam : maps.cams()) {
                assertThat(cam).hasNumberOfRows(SIZE);
                for (float[] row : cam) for (float v : row) assertThat(v).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void aNetworkOfAnotherShapeIsRefused() {
        ModelSpec spec = new ModelSpec(Architecture.RESNET18, Task.ANY, 1, SIZE, 0.25);
        SequentialBlock block = new SequentialBlock();
        var network = new dev.ich.model.Networks.Network(block, List.of(block));
        assertThatThrownBy(() -> GradCam.of(network, spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("last convolutional stage");
    }

    /** Not asserted (tests never assert speed): what one pass costs at ich's default size, beside a plain forward pass. */
    @Test
    void theCostOfOnePassAtTheDefaultSizeIsLogged(@TempDir Path dir) throws Exception {
        ModelSpec spec = new ModelSpec(Architecture.RESNET18, Task.MULTILABEL, 3, 256, 0.25);
        try (Learner learner = Learner.create(spec, 1)) {
            learner.save(dir);
        }
        try (Classifier classifier = Classifier.load(dir)) {
            float[] image = new float[3 * 256 * 256];
            for (int i = 0; i < image.length; i++) image[i] = (i % 97) / 97f;
            GradCam cam = GradCam.of(classifier);
            cam.compute(image, 1, GradCam.mostProbable());
            classifier.probabilities(image, 1);
            int runs = 5;
            long[] gradCam = new long[runs], forward = new long[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                cam.compute(image, 1, GradCam.mostProbable());
                long t1 = System.nanoTime();
                classifier.probabilities(image, 1);
                gradCam[r] = t1 - t0;
                forward[r] = System.nanoTime() - t1;
            }
            Arrays.sort(gradCam);
            Arrays.sort(forward);
            System.out.printf(Locale.ROOT, "Grad-CAM, ResNet-18 3 x 256 x 256, CPU, %s libtorch thread(s): one pass %.0f ms (median of %d), "
                            + "a plain forward pass %.0f ms%n", System.getProperty("ai.djl.pytorch.num_threads", "default"), gradCam[runs / 2] / 1e6,
                    runs, forward[runs / 2] / 1e6);
        }
    }

    private static Map<String, float[]> values(Block block, boolean gradients) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var e : block.getParameters()) {
            NDArray array = e.getValue().getArray();
            if (!gradients) {
                out.put(e.getKey(), array.toFloatArray());
            } else if (array.hasGradient()) {
                try (NDArray g = array.getGradient()) {
                    out.put(e.getKey(), g.toFloatArray());
                }
            }
        }
        return out;
    }

    private static int[] peak(float[][] cam) {
        int[] best = {0, 0};
        for (int y = 0; y < cam.length; y++) {
            for (int x = 0; x < cam[y].length; x++) if (cam[y][x] > cam[best[0]][best[1]]) best = new int[] {y, x};
        }
        return best;
    }

    private static int quadrant(int[] yx) {
        return (yx[0] < SIZE / 2 ? 0 : 2) + (yx[1] < SIZE / 2 ? 0 : 1);
    }

    /** Faint noise and a bright bar in one quadrant; every other image also a bright square blob in another quadrant. */
    static final class Phantoms {
        final List<Batch> batches = new ArrayList<>();
        final List<Integer> blobQuadrant = new ArrayList<>();
        final List<Integer> barQuadrant = new ArrayList<>();

        /** One output ({@code any}), or six: then the blob's quadrant also sets one subtype. */
        Phantoms(int samples, int batchSize, int outputs, long seed) {
            Random random = new Random(seed);
            int half = SIZE / 2;
            for (int start = 0; start < samples; start += batchSize) {
                int n = Math.min(batchSize, samples - start);
                float[] images = new float[n * SIZE * SIZE];
                float[] targets = new float[n * outputs];
                List<String> uids = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    uids.add("ID_" + (start + i));
                    int o = i * SIZE * SIZE;
                    for (int p = 0; p < SIZE * SIZE; p++) images[o + p] = 0.2f * random.nextFloat();
                    int bar = random.nextInt(4);
                    int by = (bar / 2) * half + 4 + random.nextInt(half - 8);
                    for (int x = (bar % 2) * half + 2; x < (bar % 2) * half + half - 2; x++) {
                        images[o + by * SIZE + x] = 1f;
                        images[o + (by + 1) * SIZE + x] = 1f;
                    }
                    barQuadrant.add(bar);
                    boolean positive = (start + i) % 2 == 0;
                    int blob = -1;
                    if (positive) {
                        blob = (bar + 1 + random.nextInt(3)) % 4;
                        int y0 = (blob / 2) * half + 2 + random.nextInt(half - BLOB - 4);
                        int x0 = (blob % 2) * half + 2 + random.nextInt(half - BLOB - 4);
                        for (int y = y0; y < y0 + BLOB; y++) for (int x = x0; x < x0 + BLOB; x++) images[o + y * SIZE + x] = 1f;
                        targets[i * outputs + outputs - 1] = 1;
                        if (outputs > 1) targets[i * outputs + blob] = 1;
                    }
                    blobQuadrant.add(blob);
                }
                batches.add(new Batch(uids, images, targets, 1, SIZE, SIZE));
            }
        }

        BatchSource source() {
            return BatchSource.of(batches);
        }
    }
}

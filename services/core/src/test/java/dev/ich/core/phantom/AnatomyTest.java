package dev.ich.core.phantom;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Given a phantom head from vertex to teeth, its slices look like the real stack to the cleaning step. */
class AnatomyTest {
    private static final int SLICES = 32;
    private final PhantomGenerator generator = new PhantomGenerator(PhantomOptions.of(3, 5L));

    @Test
    void slicesAboveTheVertexAndAtTheTeethFallUnderTheDropThresholdWhileMidBrainSlicesDoNot() {
        for (int study = 0; study < 3; study++) {
            assertThat(brainWindowFraction(generator.render(study, 0))).as("top, study %d", study).isLessThan(0.02);
            assertThat(brainWindowFraction(generator.render(study, 1))).as("vertex, study %d", study).isLessThan(0.02);
            assertThat(brainWindowFraction(generator.render(study, SLICES - 1))).as("teeth, study %d", study).isLessThan(0.02);
            assertThat(brainWindowFraction(generator.render(study, SLICES - 2))).as("above teeth, study %d", study).isLessThan(0.02);
            PhantomImage middle = generator.render(study, SLICES / 2 - 2);
            assertThat(brainWindowFraction(middle)).as("mid brain, study %d", study).isGreaterThan(0.15);
            assertThat(middle.brainWindowFraction()).isEqualTo(brainWindowFraction(middle));
        }
    }

    @Test
    void aMidBrainSliceHoldsAirSoftTissueBrainCsfAndBoneAtTheirUsualDensities() {
        PhantomImage image = generator.render(0, 14);
        int air = 0, brain = 0, csf = 0, bone = 0;
        for (short hu : image.hu()) {
            if (hu <= -950) air++;
            else if (hu >= 22 && hu <= 45) brain++;
            else if (hu >= -5 && hu <= 12) csf++;
            else if (hu >= 700) bone++;
        }
        int n = image.hu().length;
        assertThat(air).isGreaterThan(n / 5);
        assertThat(brain).isGreaterThan(n / 6);
        assertThat(csf).isGreaterThan(500);
        assertThat(bone).isGreaterThan(2000);
    }

    @Test
    void theSkullBoxHoldsEveryBonePixelAndHugsTheSkull() {
        for (int k = 0; k < SLICES; k++) {
            PhantomImage image = generator.render(1, k);
            Optional<PixelBox> bone = bonePixels(image);
            if (bone.isEmpty()) continue;
            assertThat(image.skullBox()).as("slice %d", k).isPresent();
            PixelBox skull = image.skullBox().get();
            assertThat(skull.contains(bone.get())).as("slice %d: %s holds %s", k, skull, bone.get()).isTrue();
            if (image.brainWindowFraction() > 0.1) {
                assertThat(bone.get().top() - skull.top()).as("slice %d", k).isLessThanOrEqualTo(3);
                assertThat(skull.bottom() - bone.get().bottom()).as("slice %d", k).isLessThanOrEqualTo(3);
                assertThat(bone.get().left() - skull.left()).as("slice %d", k).isLessThanOrEqualTo(3);
                assertThat(skull.right() - bone.get().right()).as("slice %d", k).isLessThanOrEqualTo(3);
            }
        }
        assertThat(generator.render(1, 0).skullBox()).as("above the head").isEmpty();
    }

    @Test
    void outsideTheFieldOfViewPixelsAreMarked() {
        PhantomGenerator g = new PhantomGenerator(PhantomOptions.of(8, 5L));
        int study = 0;
        while (!g.quirks(study).contains(Quirk.FIELD_OF_VIEW_MARKED)) study++;
        PhantomImage image = g.render(study, 10);
        assertThat(image.hu(0, 0)).isEqualTo((short) PhantomImage.OUTSIDE_FIELD_OF_VIEW_HU);
        assertThat(image.hu(image.rows() / 2, 2)).isGreaterThan((short) -1100);
    }

    private static double brainWindowFraction(PhantomImage image) {
        long inside = 0;
        for (short hu : image.hu()) if (hu > 0 && hu < 80) inside++;
        return inside / (double) image.hu().length;
    }

    private static Optional<PixelBox> bonePixels(PhantomImage image) {
        int top = Integer.MAX_VALUE, left = Integer.MAX_VALUE, bottom = -1, right = -1;
        for (int r = 0; r < image.rows(); r++) {
            for (int c = 0; c < image.columns(); c++) {
                if (image.hu(r, c) < 300) continue;
                top = Math.min(top, r);
                bottom = Math.max(bottom, r);
                left = Math.min(left, c);
                right = Math.max(right, c);
            }
        }
        return bottom < 0 ? Optional.empty() : Optional.of(new PixelBox(top, left, bottom, right));
    }
}

package dev.ich.core.augment;

/**
 * How often and how strongly each augmentation applies (docs/reference-experiment.md, "Augmentation").
 *
 * @param flipProbability     chance of a horizontal (left-right) flip
 * @param maxRotationDegrees  a rotation's angle is uniform in [-max, +max]; the notebooks: 15
 * @param rotationProbability chance of a rotation
 * @param blurProbability     chance of a Gaussian blur
 * @param maxBlurSigma        a blur's sigma is uniform in [max/4, max] pixels; "slight" means about 1
 */
public record AugmentationConfig(double flipProbability, double maxRotationDegrees, double rotationProbability,
                                 double blurProbability, double maxBlurSigma) {
    /** Above this a "small rotation" is no longer small; the notebooks found larger changes useless. */
    public static final double ROTATION_LIMIT_DEGREES = 45;
    /** Above this a blur wipes out the small bleeds the model has to find. */
    public static final double BLUR_SIGMA_LIMIT = 5;

    public AugmentationConfig {
        probability("flipProbability", flipProbability);
        probability("rotationProbability", rotationProbability);
        probability("blurProbability", blurProbability);
        if (!(maxRotationDegrees >= 0 && maxRotationDegrees <= ROTATION_LIMIT_DEGREES)) {
            throw new IllegalArgumentException("maxRotationDegrees must be between 0 and " + ROTATION_LIMIT_DEGREES + ", got " + maxRotationDegrees);
        }
        if (!(maxBlurSigma >= 0 && maxBlurSigma <= BLUR_SIGMA_LIMIT)) {
            throw new IllegalArgumentException("maxBlurSigma must be between 0 and " + BLUR_SIGMA_LIMIT + " pixels, got " + maxBlurSigma);
        }
    }

    /** Flip half of the time, rotate up to 15 degrees three times in four, blur (sigma up to 1 px) once in four. */
    public static AugmentationConfig defaults() {
        return new AugmentationConfig(0.5, 15, 0.75, 0.25, 1.0);
    }

    /** No augmentation: what the validation set and inference see. */
    public static AugmentationConfig none() {
        return new AugmentationConfig(0, 0, 0, 0, 0);
    }

    private static void probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(name + " must be between 0 and 1, got " + p);
    }
}

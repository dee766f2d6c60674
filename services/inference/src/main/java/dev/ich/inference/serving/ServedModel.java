package dev.ich.inference.serving;

import dev.ich.core.event.StudyPredicted.OperatingPoint;
import dev.ich.model.Calibration;
import dev.ich.model.Classifier;
import dev.ich.model.ModelSpec;
import dev.ich.model.explain.GradCam;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model version: its identity, preprocessing, batcher, and a copy of the network of its own for Grad-CAM
 * (a gradient pass never runs on a predictor the batcher is using). Requests hold a lease while they use it, so
 * a request that started on this version finishes on it (preprocessing and forward pass from the same version,
 * never mixed); once it is retired by a swap and the last lease is returned, it closes and frees the weights.
 * {@code temperatures}: model.json's calibration per label, which the batcher given here already applies; null for a
 * version without one.
 */
public final class ServedModel {
    private final String name;
    private final String version;
    private final String artifactKey;
    private final List<String> labels;
    private final ModelSpec spec;
    private final Preprocessing preprocessing;
    private final Batcher batcher;
    private final OperatingPoint operatingPoint;
    private final double[] temperatures;
    private final Classifier explainer;
    private final GradCam gradCam;
    private final AtomicInteger leases = new AtomicInteger();
    private volatile boolean retired;
    private volatile boolean closed;

    public ServedModel(String name, String version, String artifactKey, List<String> labels, ModelSpec spec, Preprocessing preprocessing,
                       Batcher batcher, Classifier explainer, OperatingPoint operatingPoint, double[] temperatures) {
        this.name = name;
        this.version = version;
        this.artifactKey = artifactKey;
        this.labels = List.copyOf(labels);
        this.spec = spec;
        this.preprocessing = preprocessing;
        this.batcher = batcher;
        this.explainer = explainer;
        this.gradCam = GradCam.of(explainer);
        this.operatingPoint = operatingPoint;
        this.temperatures = temperatures == null ? null : temperatures.clone();
    }

    /**
     * The network's probabilities of some images (N x K, label order) at this version's temperatures, as the batcher
     * answers them: for what bypasses the batcher (Grad-CAM's pass). A new array; the same values without calibration.
     */
    public float[] calibrate(float[] probabilities) {
        return temperatures == null ? probabilities.clone() : Calibration.applyRows(probabilities, temperatures);
    }

    /**
     * The thresholds this version was promoted with (model.json's {@code operatingPoint}); empty for a version trained
     * before ich recorded them: the study triage then makes no call (docs/dicom.md, "Operating point").
     */
    public java.util.Optional<OperatingPoint> operatingPoint() {
        return java.util.Optional.ofNullable(operatingPoint);
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** {@code models/<name>/<version>/} */
    public String artifactKey() {
        return artifactKey;
    }

    /** Output order of every probability array. */
    public List<String> labels() {
        return labels;
    }

    public ModelSpec spec() {
        return spec;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public Batcher batcher() {
        return batcher;
    }

    /** Grad-CAM on this version's own explainer copy of the network (passes run one at a time: {@link GradCam}). */
    public GradCam gradCam() {
        return gradCam;
    }

    /** {@code v<N>} as N, for the version gauge; NaN for another spelling. */
    public double versionNumber() {
        try {
            return Double.parseDouble(version.substring(1));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Takes a lease unless the version is already retired (the caller then reads the new current one). */
    boolean tryLease() {
        leases.incrementAndGet();
        if (retired) {
            release();
            return false;
        }
        return true;
    }

    void release() {
        if (leases.decrementAndGet() == 0 && retired) closeOnce();
    }

    /** No new leases; closes now if nobody holds one, else when the last is returned. */
    void retire() {
        retired = true;
        if (leases.get() == 0) closeOnce();
    }

    private synchronized void closeOnce() {
        if (closed) return;
        closed = true;
        batcher.close();
        explainer.close();
    }

    @Override
    public String toString() {
        return name + "/" + version;
    }
}

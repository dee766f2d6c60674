package dev.ich.inference.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.augment.PlanarImage;
import dev.ich.core.clean.Channel;
import dev.ich.core.clean.CleanedSlice;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.clean.HistogramBins;
import dev.ich.core.clean.PipelineConfig;
import dev.ich.core.clean.PipelineVersion;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomSlice;
import dev.ich.core.dicom.SliceAdmission;
import dev.ich.core.event.SlicePrediction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pixels a model was trained on, from a DICOM slice: core's {@link SliceAdmission} (the rules ingest applies at
 * its doors: limits on depth and inflation, the allowed Modality, a decodable single-frame greyscale slice), then the
 * cleaning pipeline rebuilt from
 * the configuration model.json records (refused unless its version hash is the recorded one), then the trainer's
 * tensor conversion (the PNG's 8-bit channels over 255, channel-first: {@link PlanarImage#fromPng}).
 *
 * <p>A slice the brain-window rule drops gets no PNG from the pipeline; serving still answers it, flagged. So the
 * pixels come from the same configuration with the drop threshold at 0 (the threshold decides nothing else), and
 * the rule is applied to the slice's {@code img_pct_window} here.
 */
public final class Preprocessing {
    /** PNG level 0: stored, not deflated; the level never changes pixels (CleaningPipeline). */
    private static final int PNG_LEVEL = 0;

    private final PipelineConfig config;
    private final CleaningPipeline pixels;
    private final SliceAdmission admission;

    private Preprocessing(PipelineConfig config, SliceAdmission admission) {
        this.config = config;
        this.pixels = new CleaningPipeline(config.withDropThreshold(0), PNG_LEVEL);
        this.admission = admission;
    }

    /**
     * From model.json's {@code preprocessing} block: {@code pipeline} (the version id) and {@code config} (the
     * canonical pipeline.json). IllegalArgumentException when the configuration is missing, unreadable, or does not
     * hash to the recorded version: serving it would feed the model other pixels than it learned from.
     */
    public static Preprocessing of(JsonNode preprocessing, SliceAdmission admission) {
        if (preprocessing == null || !preprocessing.hasNonNull("pipeline")) {
            throw new IllegalArgumentException("model.json has no preprocessing.pipeline: the pixels it was trained on are unknown");
        }
        String recorded = preprocessing.get("pipeline").asText();
        JsonNode c = preprocessing.get("config");
        if (c == null || !c.isObject()) {
            throw new IllegalArgumentException("model.json records pipeline " + recorded + " but not its configuration (preprocessing.config)");
        }
        PipelineConfig config;
        try {
            config = parse(c);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("preprocessing.config of pipeline " + recorded + " is unreadable: " + e.getMessage(), e);
        }
        String rebuilt = config.version().id();
        if (!rebuilt.equals(recorded)) {
            throw new IllegalArgumentException("preprocessing.config hashes to " + rebuilt + ", model.json records " + recorded
                    + ": refusing to serve pixels other than the training ones");
        }
        return new Preprocessing(config, admission);
    }

    /** The inverse of {@link PipelineVersion#canonicalJson}; window values must be the named window's. */
    static PipelineConfig parse(JsonNode c) {
        int algorithm = c.path("algorithm").asInt(-1);
        if (algorithm != PipelineConfig.ALGORITHM_REVISION) {
            throw new IllegalArgumentException("algorithm revision " + algorithm + ", this service runs " + PipelineConfig.ALGORITHM_REVISION);
        }
        List<Channel> channels = new ArrayList<>();
        for (JsonNode ch : c.path("channels")) {
            Channel channel = Channel.parse(ch.path("name").asText());
            if (!channel.histogramScaled() && (channel.window().width() != ch.path("width").asDouble()
                    || channel.window().level() != ch.path("level").asDouble())) {
                throw new IllegalArgumentException("channel " + channel.name() + " is recorded as width " + ch.path("width")
                        + " level " + ch.path("level") + ", this service knows it as " + channel.window());
            }
            channels.add(channel);
        }
        double[] bins = new double[c.path("bins").size()];
        for (int i = 0; i < bins.length; i++) bins[i] = c.path("bins").get(i).asDouble();
        return new PipelineConfig(channels, c.path("size").asInt(), c.path("dropThreshold").asDouble(), c.path("fullSize").asInt(),
                c.path("maskSigma").asDouble(), c.path("maskThreshold").asDouble(), new HistogramBins(bins));
    }

    public PipelineVersion version() {
        return config.version();
    }

    public PipelineConfig config() {
        return config;
    }

    /** One slice ready for the network, what the brain-window rule says of it, and its subgroup for drift. */
    public record Prepared(float[] image, String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid,
                           Double position, Long instanceNumber, double brainWindowFraction, boolean brainWindowPassed,
                           SlicePrediction.Subgroup subgroup, long nanos) {
    }

    /** DicomReadException for a slice admission refuses (its problem and reason go to the caller as they are). */
    public Prepared prepare(byte[] dicom, String name) throws DicomReadException {
        long t0 = System.nanoTime();
        DicomSlice slice = admission.admit(dicom, name);
        CleanedSlice cleaned = pixels.clean(slice);
        float[] image = PlanarImage.fromPng(cleaned.png()).data();
        Map<String, Object> row = cleaned.row();
        double fraction = ((Number) row.get("img_pct_window")).doubleValue();
        return new Prepared(image, slice.header().sopInstanceUid(), slice.header().studyInstanceUid(), slice.header().seriesInstanceUid(),
                number(row.get("ImagePositionPatient2")), row.get("InstanceNumber") instanceof Number n ? n.longValue() : null,
                fraction, fraction >= config.dropThreshold(), subgroup(slice), System.nanoTime() - t0);
    }

    /** PatientSex and PatientAge are in the header only where ingest keeps patient characteristics (docs/security.md). */
    private static SlicePrediction.Subgroup subgroup(DicomSlice slice) {
        String sex = slice.header().text("PatientSex");
        return new SlicePrediction.Subgroup(slice.attributes().bitsStored(), slice.attributes().pixelRepresentation(),
                sex == null || sex.isBlank() ? null : sex.strip(), SlicePrediction.ageBand(slice.header().text("PatientAge")));
    }

    private static Double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }
}

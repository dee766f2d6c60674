package dev.ich.cleaning;

import dev.ich.core.clean.HistogramBins;
import dev.ich.core.clean.HuImage;
import dev.ich.core.dicom.DicomHeader;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Computes histogram bins from raw slices in storage, as the notebooks did: a random sample, or stratified
 * by source group (BitsStored/PixelRepresentation), so a scanner that sends most slices does not set
 * the bins for all. Unreadable slices are skipped.
 */
@ApplicationScoped
public class BinSampler {
    /** Values taken per slice (evenly strided): enough for 100 quantiles, small enough for thousands of slices. */
    static final int VALUES_PER_SLICE = 16_384;
    /** Stratified sampling looks at this many times the sample's headers to find the groups. */
    static final int SCAN_FACTOR = 4;

    private final DicomReader reader = DicomReader.create();

    @Inject
    RawObjects raw;

    public record Sample(HistogramBins bins, int slices, Map<String, Integer> groups) {
    }

    public Sample sample(int n, long seed, boolean stratified) {
        List<RawSlice> all = new ArrayList<>(raw.list());
        if (all.isEmpty()) throw new IllegalStateException("no raw slices in storage under raw/ to sample from");
        Collections.shuffle(all, new Random(seed));
        Map<String, List<RawSlice>> groups = new TreeMap<>();
        for (RawSlice s : all.subList(0, Math.min(all.size(), stratified ? n * SCAN_FACTOR : n))) {
            String group = stratified ? group(s) : "all";
            if (group != null) groups.computeIfAbsent(group, g -> new ArrayList<>()).add(s);
        }
        // Round robin over the groups: equal shares, the rest from groups that still have slices.
        List<float[]> values = new ArrayList<>();
        Map<String, Integer> taken = new TreeMap<>();
        for (int round = 0; values.size() < n; round++) {
            boolean any = false;
            for (Map.Entry<String, List<RawSlice>> g : groups.entrySet()) {
                if (round >= g.getValue().size() || values.size() >= n) continue;
                any = true;
                float[] hu = hu(g.getValue().get(round));
                if (hu != null) {
                    values.add(hu);
                    taken.merge(g.getKey(), 1, Integer::sum);
                }
            }
            if (!any) break;
        }
        if (values.isEmpty()) throw new IllegalStateException("none of the sampled raw slices could be decoded");
        float[] sample = new float[values.stream().mapToInt(v -> v.length).sum()];
        int at = 0;
        for (float[] v : values) {
            System.arraycopy(v, 0, sample, at, v.length);
            at += v.length;
        }
        return new Sample(HistogramBins.fromSample(sample, HistogramBins.DEFAULT_COUNT), values.size(), taken);
    }

    private String group(RawSlice s) {
        try {
            DicomHeader h = reader.readHeader(raw.read(s.objectKey()), s.objectKey());
            return "BitsStored=" + h.text("BitsStored") + ",PixelRepresentation=" + h.text("PixelRepresentation");
        } catch (DicomReadException e) {
            return null;
        }
    }

    private float[] hu(RawSlice s) {
        try {
            float[] hu = HuImage.of(reader.read(raw.read(s.objectKey()), s.objectKey())).hu();
            int stride = Math.max(1, hu.length / VALUES_PER_SLICE);
            float[] picked = new float[(hu.length + stride - 1) / stride];
            for (int i = 0, j = 0; i < hu.length; i += stride) picked[j++] = hu[i];
            return picked;
        } catch (DicomReadException e) {
            return null;
        }
    }
}

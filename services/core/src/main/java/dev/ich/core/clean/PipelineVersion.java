package dev.ich.core.clean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Identifies a {@link PipelineConfig} exactly: "p" + the first 12 hex digits of the SHA-256 of its
 * canonical JSON ({@link #canonicalJson(PipelineConfig)}, which is also what clean/&lt;version&gt;/pipeline.json holds).
 */
public record PipelineVersion(String id) {
    private static final Pattern FORM = Pattern.compile("p[0-9a-f]{12}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public PipelineVersion {
        if (!FORM.matcher(id).matches()) throw new IllegalArgumentException("not a pipeline version: " + id);
    }

    static PipelineVersion of(PipelineConfig config) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalJson(config).getBytes(StandardCharsets.UTF_8));
            return new PipelineVersion("p" + HexFormat.of().formatHex(digest, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The version of the input a dataset holds when each slice carries {@code context} neighbours each side
     * (dev.ich.core.dataset.SliceContext): the same for 0, else a hash of this version and the context, so a dataset
     * or model of 2.5D input never shares its pipeline id with one of single slices.
     */
    public PipelineVersion withContext(int context) {
        if (context < 0) throw new IllegalArgumentException("context must not be negative: " + context);
        if (context == 0) return this;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((id + "+context=" + context).getBytes(StandardCharsets.UTF_8));
            return new PipelineVersion("p" + HexFormat.of().formatHex(digest, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Field order fixed, windows spelled out: the same config gives the same bytes on every machine. */
    public static String canonicalJson(PipelineConfig c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("algorithm", PipelineConfig.ALGORITHM_REVISION);
        ArrayNode channels = root.putArray("channels");
        for (Channel ch : c.channels()) {
            ObjectNode n = channels.addObject().put("name", ch.name());
            if (!ch.histogramScaled()) n.put("width", ch.window().width()).put("level", ch.window().level());
        }
        root.put("size", c.size());
        root.put("dropThreshold", c.dropThreshold());
        root.put("fullSize", c.fullSize());
        root.put("maskSigma", c.maskSigma());
        root.put("maskThreshold", c.maskThreshold());
        ArrayNode bins = root.putArray("bins");
        for (double e : c.bins().edges()) bins.add(e);
        return root.toString();
    }

    @Override
    public String toString() {
        return id;
    }
}

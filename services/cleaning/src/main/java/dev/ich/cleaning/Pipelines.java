package dev.ich.cleaning;

import dev.ich.core.clean.Channel;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.clean.HistogramBins;
import dev.ich.core.clean.PipelineConfig;
import dev.ich.core.clean.PipelineVersion;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured pipeline and any other version a reprocess asks for. Every version that writes a
 * PNG has its clean/&lt;version&gt;/pipeline.json first, so an image never exists without its recipe.
 */
@ApplicationScoped
public class Pipelines {
    private static final Logger LOG = Logger.getLogger(Pipelines.class);

    private final Set<PipelineVersion> recorded = ConcurrentHashMap.newKeySet();
    private final CleaningPipeline current;
    private final int pngLevel;

    @Inject
    ObjectStore store;

    @Inject
    public Pipelines(CleaningConfig config) {
        CleaningConfig.Pipeline p = config.pipeline();
        this.pngLevel = p.pngLevel();
        HistogramBins bins = p.binsFile().map(Pipelines::readBins).orElseGet(HistogramBins::defaults);
        PipelineConfig configured = PipelineConfig.defaults().withBins(bins)
                .withChannels(p.channels().stream().map(Channel::parse).toList())
                .withSize(p.size()).withDropThreshold(p.dropThreshold());
        this.current = new CleaningPipeline(configured, pngLevel);
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("pipeline %s: %s", current.version(), PipelineVersion.canonicalJson(current.config()));
        try {
            record(current);
        } catch (StorageException e) {
            // Not fatal: the first slice records it, and readiness says storage is down meanwhile.
            LOG.warnf("cannot record pipeline.json yet: %s", e.getMessage());
        }
    }

    public CleaningPipeline current() {
        return current;
    }

    /** The current pipeline with overrides; IllegalArgumentException names what is wrong. */
    public CleaningPipeline with(Integer size, List<String> channels, Double threshold) {
        PipelineConfig c = current.config();
        if (size != null) c = c.withSize(size);
        if (channels != null) c = c.withChannels(channels.stream().map(Channel::parse).toList());
        if (threshold != null) c = c.withDropThreshold(threshold);
        return new CleaningPipeline(c, pngLevel);
    }

    /** The current pipeline with other histogram bins (what POST /pipelines/bins proposes). */
    public CleaningPipeline withBins(HistogramBins bins) {
        return new CleaningPipeline(current.config().withBins(bins), pngLevel);
    }

    /** Writes clean/&lt;version&gt;/pipeline.json unless it is there; idempotent, as the bytes are canonical. */
    public void record(CleaningPipeline pipeline) {
        PipelineVersion v = pipeline.version();
        if (recorded.contains(v)) return;
        String key = ObjectKeys.pipeline(v);
        if (store.stat(key).isEmpty()) {
            byte[] json = PipelineVersion.canonicalJson(pipeline.config()).getBytes(StandardCharsets.UTF_8);
            store.put(key, json, "application/json", Map.of());
        }
        recorded.add(v);
    }

    static HistogramBins readBins(String file) {
        try {
            return HistogramBins.parse(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ich.cleaning.pipeline.bins-file " + file, e);
        }
    }
}

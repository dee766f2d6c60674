package dev.ich.core.dataset;

import dev.ich.core.clean.PipelineVersion;
import dev.ich.core.event.DatasetPublished;

import java.util.Map;

/**
 * What a dataset's images are: the cleaning pipeline every PNG came from, and the 2.5D context (neighbours each side
 * stacked as channels). A dataset with context records {@link PipelineVersion#withContext} as its {@code pipeline}
 * (so its hash covers the option) and these two in its spec; one without records the cleaning pipeline itself.
 */
public record DatasetInput(String cleaningPipeline, int context) {
    /** Spec keys, as labeling and the phantom experiment write them. */
    public static final String CONTEXT = "context";
    public static final String CLEANING_PIPELINE = "cleaningPipeline";

    public static DatasetInput of(DatasetPublished dataset) {
        Map<String, Object> spec = dataset.spec() == null ? Map.of() : dataset.spec();
        int context = spec.get(CONTEXT) instanceof Number n ? n.intValue() : 0;
        String cleaning = context > 0 && spec.get(CLEANING_PIPELINE) instanceof String s ? s : dataset.pipeline();
        if (context > 0 && !new PipelineVersion(cleaning).withContext(context).id().equals(dataset.pipeline())) {
            throw new IllegalArgumentException("dataset " + dataset.id() + " records pipeline " + dataset.pipeline() + ", but its cleaning pipeline "
                    + cleaning + " with context " + context + " is " + new PipelineVersion(cleaning).withContext(context)
                    + ": its dataset.json was altered");
        }
        return new DatasetInput(cleaning, context);
    }

    /** Images stacked per sample: the slice and its neighbours. */
    public int images() {
        return 2 * context + 1;
    }
}

package dev.ich.core.event;

import java.time.Instant;
import java.util.Map;

/**
 * Published on {@code models-published}, keyed by model name, when a model version is promoted to serving
 * (docs/architecture.md, "The services and their topics"). The same record is stored as {@code models/serving.json} ({@link
 * dev.ich.core.contract.ObjectKeys#SERVING_MODEL}) so a service that starts later finds the model without
 * replaying the topic: the stored pointer is the truth, the event is the nudge.
 *
 * @param name          model name ({@code models/<name>/})
 * @param version       {@code v<N>}
 * @param artifactKey   {@code models/<name>/<version>/}: holds {@code model.json} and {@code weights/}
 * @param metrics       the final validation metrics recorded in model.json
 * @param dataset       the dataset id the model was trained on
 * @param preprocessing model.json's {@code preprocessing} block (pipeline version and its configuration)
 * @param promotedAt    when it was promoted
 */
public record ModelPublished(String name, String version, String artifactKey, Map<String, Object> metrics, String dataset,
                             Map<String, Object> preprocessing, Instant promotedAt) {
    /** CloudEvents type of this event. */
    public static final String TYPE = "dev.ich.model.published";
}

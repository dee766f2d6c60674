package dev.ich.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
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
 * @param override      present only when the promotion gate refused this version and a model admin promoted it anyway
 *                      (docs/training-api.md, "Promotion gate"); absent (not null) otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelPublished(String name, String version, String artifactKey, Map<String, Object> metrics, String dataset,
                             Map<String, Object> preprocessing, Instant promotedAt, GateOverride override) {
    /** CloudEvents type of this event. */
    public static final String TYPE = "dev.ich.model.published";

    /** A promotion the gate did not refuse, as every one was before the gate existed. */
    public ModelPublished(String name, String version, String artifactKey, Map<String, Object> metrics, String dataset,
                          Map<String, Object> preprocessing, Instant promotedAt) {
        this(name, version, artifactKey, metrics, dataset, preprocessing, promotedAt, null);
    }

    /**
     * Why a gated promotion went through.
     *
     * @param reason the model admin's words
     * @param by     the token subject of who overrode (null when the service runs without authentication)
     * @param failed the gate's findings that were overridden, each "metric candidate vs serving"
     */
    public record GateOverride(String reason, String by, List<String> failed) {
    }
}

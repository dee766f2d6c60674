/**
 * The metadata-only experiment (docs/reference-experiment.md, "Metadata-only model") as plain Java: header columns joined to the
 * {@code any} label on slice id, a random forest fitted on the train split and judged on the valid split against
 * chance and the majority class, so the service can wire it without the engine knowing about Quarkus.
 */
package dev.ich.labeling.experiment;

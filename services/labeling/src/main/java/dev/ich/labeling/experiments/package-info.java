/**
 * The metadata-only experiment (docs/reference-experiment.md, "Metadata-only model"). The engine is plain Java
 * ({@link dev.ich.labeling.experiments.MetadataBaseline}, {@code FeatureColumns}, {@code MetadataSample},
 * {@code BaselineReport}): header columns joined to the {@code any} label on slice id, a random forest fitted on the
 * train split and judged on the valid split against chance and the majority class, with no Quarkus in it so it runs
 * in a unit test. The service side ({@code MetadataExperiments}, {@code ExperimentsResource}, {@code ExperimentDetails},
 * {@code ExperimentRequest}) runs it on a built dataset.
 */
package dev.ich.labeling.experiments;

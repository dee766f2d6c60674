/**
 * The DICOM objects ich writes for a triaged study (docs/dicom.md, "Results as DICOM"): a Comprehensive SR with the
 * probability, threshold and call per label, and Secondary Captures of the key slices with the model's heatmap, all
 * in the source study, with UIDs that are a function of the study and the model so a re-run writes the same objects.
 * Pure functions from inputs to Part 10 bytes; sending them is someone else's job.
 */
package dev.ich.core.dicom.results;

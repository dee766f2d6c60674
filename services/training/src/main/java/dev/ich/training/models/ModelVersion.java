package dev.ich.training.models;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One version of a model as the registry lists it, from its {@code models/<name>/<version>/model.json}.
 *
 * @param pipeline the preprocessing pipeline version its training images came from
 * @param serving  whether {@code models/serving.json} points at it
 * @param operatingPoint model.json's {@code operatingPoint}: per label the threshold the study triage calls at, with
 *                 its validation sensitivity and specificity (docs/dicom.md, "Operating point"); absent for older versions
 * @param calibration model.json's {@code calibration}: per-label temperatures and the ECE before and after; absent
 *                 for versions trained before calibration
 * @param lineage  model.json's {@code lineage}: dataset and its digest, pipeline, labels version, job, resolved spec
 *                 and code version; absent for versions trained before lineage was recorded
 * @param sourceModel {@code model:<name>/<version>} a {@code calibrate} job started from (the weights are its); absent
 *                 for trained versions
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelVersion(String name, String version, String architecture, String task, Integer imageSize, String dataset, String job,
                           Map<String, Object> metrics, String pipeline, String createdAt, String artifactKey, boolean serving,
                           Map<String, Object> operatingPoint, Map<String, Object> calibration, Map<String, Object> lineage,
                           String sourceModel) {
}

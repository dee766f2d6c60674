/** Prediction drift: inference's {@code predictions} kept here and joined with the labels, per model version, week and subgroup. */
package dev.ich.labeling.drift;

/**
 * The training augmentations (docs/reference-experiment.md, "Augmentation": horizontal flip, small rotation, slight blur),
 * in core so that the trainer and the labeling service's preview run the same code: what a person sees
 * in the preview is what trains.
 */
package dev.ich.core.augment;

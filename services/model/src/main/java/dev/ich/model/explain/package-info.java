/** Where a classifier looks: Grad-CAM heatmaps of its last convolutional stage, and their overlay on the slice. */
package dev.ich.model.explain;

/**
 * The on-disk form of an immutable training dataset: shards in the WebDataset layout (plain tar,
 * {@code <uid>.json} then {@code <uid>.png} per slice) written by labeling and read sequentially by
 * the trainer, plus the patient split and class balancing that decide what goes into them.
 */
package dev.ich.core.dataset;

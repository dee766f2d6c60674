/**
 * The notebooks' baseline model in DJL (PyTorch engine): the network ({@link dev.ich.model.Networks}), its training
 * recipe ({@link dev.ich.model.Learner}: frozen then discriminative one-cycle, LR finder, checkpoints), validation
 * metrics, plots and the HTML report. The trainer supplies batches ({@link dev.ich.model.BatchSource}) and listens.
 */
package dev.ich.model;

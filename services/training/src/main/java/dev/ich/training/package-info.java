/** The training service: the job API, the launchers that run the trainer, and the model registry. */
package dev.ich.training;

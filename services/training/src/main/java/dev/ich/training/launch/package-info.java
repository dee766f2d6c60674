/** Where the trainer runs: one Launcher per backend (a Kubernetes Job from the Helm chart's template, a local child process). */
package dev.ich.training.launch;

/** Training jobs: submission and validation, the state machine fed by training-events and the launcher, persistence in the bucket. */
package dev.ich.training.jobs;

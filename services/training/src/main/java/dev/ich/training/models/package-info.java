/** The model registry over {@code models/}: versions with their metrics, dataset and job, and promotion to serving. */
package dev.ich.training.models;

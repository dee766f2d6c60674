/**
 * The cleaning service: every {@code dicom-ingested} event becomes a cleaned PNG in storage and a
 * metadata row on {@code slices-cleaned}, with the core's transforms (see README.md, "Anatomy").
 */
package dev.ich.cleaning;

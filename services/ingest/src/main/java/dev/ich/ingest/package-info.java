/**
 * The ingest service: three doors in (STOW-RS and the single upload in {@code stow}, DIMSE C-STORE in
 * {@code dimse}) and one bulk import ({@code imports}), all funnelled through {@link dev.ich.ingest.Ingestor}, which
 * stores first and announces second; DICOMweb reads are in {@code dicomweb}. This package holds what every door
 * shares: admission, de-identification, outcomes, publishing, configuration.
 */
package dev.ich.ingest;

/**
 * The ingest service: three doors in (STOW-RS, single upload, DIMSE C-STORE) and one bulk import, all
 * funnelled through {@link dev.ich.ingest.Ingestor}, which stores first and announces second.
 */
package dev.ich.ingest;

package dev.ich.core.event;

import java.time.Instant;

/**
 * Published on {@code results-exported}, keyed by the result object's key, once a destination (a PACS) stored one
 * result object (docs/dicom.md, "Export to PACS"). The same record, with {@code error} set and {@code sentAt} null,
 * goes to {@code results-exported-dlq} when the destination refused the object for good or every attempt failed.
 *
 * @param destination       the configured destination's name ({@code ich.inference.export.destinations.<name>})
 * @param kind              {@code dimse} or {@code stow}
 * @param objectKey         {@code results/<study>/<series>/<sop>.dcm}
 * @param attempts          sends tried, the successful one included
 * @param status            the destination's answer: a C-STORE status ({@code 0000}, a warning {@code B000}...), or
 *                          the STOW-RS HTTP status and failure reason; null when it never answered
 * @param sentAt            when the destination confirmed it; null on the dead-letter topic
 * @param error             null when sent; else why it was given up
 */
public record ResultExported(String destination, String kind, String studyInstanceUid, String sopInstanceUid, String objectKey,
                             int attempts, String status, Instant queuedAt, Instant sentAt, String error) {
    /** CloudEvents type of this event. */
    public static final String TYPE = "dev.ich.results.exported";
}

package dev.ich.core.phantom;

import dev.ich.core.label.Label;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * What is true about one written slice: identifiers to join on, labels, quirks and geometry.
 *
 * @param sliceId             the id labels.csv uses: {@code ID_<SOPInstanceUID>} (see docs/phantoms.md)
 * @param labels              labels as written to labels.csv (ANY present exactly when a subtype is)
 * @param quirks              the data-set quirks this file carries
 * @param file                the DICOM file
 * @param skullBox            bounding box of the skull's outer edge in this file's pixel grid; empty above the vertex
 * @param brainWindowFraction fraction of pixels with 0 < HU < 80 (intended HU)
 */
public record SliceTruth(String sliceId, String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid,
                         String patientId, int studyIndex, int sliceIndex, Set<Label> labels, Set<Quirk> quirks,
                         Path file, int rows, int columns, Optional<PixelBox> skullBox, double brainWindowFraction) {

    public boolean has(Label label) {
        return labels.contains(label);
    }

    public boolean has(Quirk quirk) {
        return quirks.contains(quirk);
    }
}

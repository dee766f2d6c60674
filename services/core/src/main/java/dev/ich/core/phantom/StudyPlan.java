package dev.ich.core.phantom;

import java.util.List;
import java.util.Set;

/**
 * Everything decided about one study before any pixel is drawn: patient, identifiers, how it is
 * stored, geometry, and its bleeds. Rendering a slice needs only this plan and the slice index.
 *
 * @param firstDepth depth of slice 0 below the vertex in mm (negative: above the head)
 * @param firstZ     ImagePositionPatient z of slice 0; z decreases downward
 * @param shortSlice the slice whose PixelData is cut short, or -1
 */
record StudyPlan(int index, String folder, String patientId, String studyUid, String seriesUid, Source source,
                 int size, double pixelMm, double spacingMm, double firstDepth, double firstZ, boolean fovMarked,
                 List<String> windowCenter, List<String> windowWidth, int kvp, Head head, List<Bleed> bleeds,
                 int shortSlice, Set<Quirk> quirks) {

    double depth(int slice) {
        return firstDepth + slice * spacingMm;
    }

    double z(int slice) {
        return firstZ - slice * spacingMm;
    }

    String sopUid(int slice) {
        return Identifiers.sopInstanceUid(studyUid, slice);
    }

    /** Field of view in mm, wide enough for the largest head at any offset. */
    double fieldOfViewMm() {
        return size * pixelMm;
    }
}

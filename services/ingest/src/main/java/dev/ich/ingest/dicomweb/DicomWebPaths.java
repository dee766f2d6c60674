package dev.ich.ingest.dicomweb;

import dev.ich.core.contract.Uids;
import dev.ich.ingest.dicomweb.InstanceIndex.Instance;
import dev.ich.ingest.dicomweb.InstanceIndex.Series;
import dev.ich.ingest.dicomweb.InstanceIndex.Study;
import dev.ich.runtime.problem.ApiProblem;

/**
 * The UIDs a DICOMweb path names, checked (core's {@link Uids}: a DICOM UID or an RSNA id, nothing that could
 * leave its key prefix) before anything is looked up, and resolved in the index: 400 for a malformed UID, 404 naming
 * the one ich does not hold.
 */
final class DicomWebPaths {
    private DicomWebPaths() {
    }

    static String uid(String parameter, String value) {
        try {
            return Uids.require(parameter, value);
        } catch (Uids.InvalidUidException e) {
            throw new ApiProblem(400, "InvalidUid", e.getMessage() + " (in the URL)", parameter, null);
        }
    }

    static Study study(InstanceIndex index, String uid) {
        uid("StudyInstanceUID", uid);
        return index.study(uid).orElseThrow(() -> ApiProblem.notFound("no study " + uid + " in ich (GET /studies lists"
                + " the studies it holds)"));
    }

    static Series series(InstanceIndex index, String study, String series) {
        Study st = study(index, study);
        uid("SeriesInstanceUID", series);
        return st.series(series).orElseThrow(() -> ApiProblem.notFound("study " + study + " has no series " + series
                + " (GET /studies/" + study + "/series lists its series)"));
    }

    static Instance instance(InstanceIndex index, String study, String series, String sop) {
        Series se = series(index, study, series);
        uid("SOPInstanceUID", sop);
        return se.instance(sop).orElseThrow(() -> ApiProblem.notFound("series " + series + " of study " + study
                + " has no instance " + sop + " (GET /studies/" + study + "/series/" + series + "/instances lists them)"));
    }
}

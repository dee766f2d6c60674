package dev.ich.core.dicom;

/**
 * A typed, expected failure to read a slice: {@link #problem()} for machines, the message for people.
 * Never carries a PixelMed type, so callers need no toolkit on their class path to handle it.
 */
public class DicomReadException extends Exception {
    private final DicomProblem problem;

    public DicomReadException(DicomProblem problem, String reason) {
        super(reason);
        this.problem = problem;
    }

    public DicomReadException(DicomProblem problem, String reason, Throwable cause) {
        super(reason, cause);
        this.problem = problem;
    }

    public DicomProblem problem() {
        return problem;
    }

    /** Human-readable reason without the problem code, e.g. for a JSON {@code reason} field. */
    public String reason() {
        return getMessage();
    }

    @Override
    public String toString() {
        return problem + ": " + getMessage();
    }
}

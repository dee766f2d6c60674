package dev.ich.labeling.labels;

import java.time.Instant;
import java.util.List;

/**
 * What a label upload did: the version it became and every kind of problem found, with a few examples
 * each (line numbers count the header as line 1).
 *
 * @param rows       data lines read (header and blank lines not counted)
 * @param duplicates lines that repeated an earlier one exactly (ignored)
 * @param slices     slices stored with all six labels
 * @param positives  stored slices with any = 1
 */
public record LabelImportReport(int version, String source, Instant createdAt, long rows, long duplicates, long slices,
                                long positives, List<Problem> problems, double seconds) {

    /** @param examples at most {@value LabelCsvParser#EXAMPLES} examples, e.g. {@code "line 17: ID_1.2_epidural,2"} */
    public record Problem(LabelProblem kind, String meaning, long count, List<String> examples) {
    }

    public long problemCount(LabelProblem kind) {
        return problems.stream().filter(p -> p.kind() == kind).mapToLong(Problem::count).sum();
    }
}

package dev.ich.ingest.imports;

import java.util.ArrayList;
import java.util.List;

/**
 * What a bulk import adds to its operation (docs/operations.md): where it reads, and how its objects ended.
 * {@code seen} counts objects listed so far (the operation's {@code progress.total} once the listing is complete);
 * {@code failures} lists the first {@code ich.ingest.imports.max-listed-failures} of them, {@code failed} counts all.
 */
public record ImportDetails(String bucket, String prefix, long seen, long stored, long duplicate, long failed,
                            List<Failure> failures) {
    public static final String KIND = "import";
    public static final String UNIT = "objects";
    /** The scanner's schema of {@code Operation<ImportDetails>}: what the 202's annotation refers to. */
    public static final String OPERATION_SCHEMA = "OperationImportDetails";

    public record Failure(String key, String reason) {
    }

    static ImportDetails of(String bucket, String prefix) {
        return new ImportDetails(bucket, prefix, 0, 0, 0, 0, List.of());
    }

    long done() {
        return stored + duplicate + failed;
    }

    ImportDetails listedOne() {
        return new ImportDetails(bucket, prefix, seen + 1, stored, duplicate, failed, failures);
    }

    ImportDetails storedOne() {
        return new ImportDetails(bucket, prefix, seen, stored + 1, duplicate, failed, failures);
    }

    ImportDetails duplicateOne() {
        return new ImportDetails(bucket, prefix, seen, stored, duplicate + 1, failed, failures);
    }

    ImportDetails failedOne(String key, String reason, int maxListed) {
        List<Failure> listed = failures;
        if (failures.size() < maxListed) {
            listed = new ArrayList<>(failures);
            listed.add(new Failure(key, reason));
            listed = List.copyOf(listed);
        }
        return new ImportDetails(bucket, prefix, seen, stored, duplicate, failed + 1, listed);
    }
}

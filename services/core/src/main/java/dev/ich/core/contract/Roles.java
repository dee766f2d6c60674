package dev.ich.core.contract;

import java.util.List;

/**
 * ich's roles (docs/security.md): what a token must carry, after a site's mapping of its groups, for each kind
 * of call. {@link #ADMIN} implies every other role. Constants, so {@code @RolesAllowed} can name them.
 */
public final class Roles {
    /** Ingest doors: STOW-RS, /instances, /imports. */
    public static final String UPLOADER = "ich-uploader";
    /** Labels, datasets, reprocessing, bins, metadata experiments. */
    public static final String CURATOR = "ich-curator";
    /** Submit and cancel jobs, read their logs and reports. */
    public static final String TRAINER = "ich-trainer";
    /** Promote a model into serving. */
    public static final String MODEL_ADMIN = "ich-model-admin";
    /** Predictions: /predict, /predict/study, OIP v2 infer. */
    public static final String CLINICIAN = "ich-clinician";
    /** Read-only views: exploration, slices without identifiers, datasets, jobs, models. */
    public static final String READER = "ich-reader";
    /** Deleting label versions, and everything above. */
    public static final String ADMIN = "ich-admin";

    public static final List<String> ALL = List.of(UPLOADER, CURATOR, TRAINER, MODEL_ADMIN, CLINICIAN, READER, ADMIN);

    private Roles() {
    }
}

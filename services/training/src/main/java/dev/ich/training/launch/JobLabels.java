package dev.ich.training.launch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names of the labels, annotations and defaults on the Kubernetes Jobs the service creates: one place for each. */
public final class JobLabels {
    /** The container of the template that runs the trainer: its args are set by the service. */
    public static final String TRAINER_CONTAINER = "trainer";
    public static final String JOB_ID = "ich.dev/job-id";
    public static final String JOB_KIND = "ich.dev/job-kind";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "ich-training";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String SUBMITTED_AT = "ich.dev/submitted-at";
    public static final String RUNS = "ich.dev/runs";
    public static final String KUEUE_QUEUE = "kueue.x-k8s.io/queue-name";
    /** Set on a Job's pods by the Job controller. */
    public static final String K8S_JOB_NAME = "batch.kubernetes.io/job-name";
    public static final int DEFAULT_BACKOFF_LIMIT = 2;
    public static final int DEFAULT_TTL_SECONDS = 86_400;

    private JobLabels() {
    }

    /** The owner metadata every Job and pod of a training job carries. */
    public static Map<String, String> of(String jobId, String kind) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(PART_OF, "ich");
        labels.put(COMPONENT, "trainer");
        labels.put(JOB_ID, jobId);
        labels.put(JOB_KIND, kind);
        return labels;
    }

    /** {@code ich-<job id>}, shortened with a hash to fit a DNS label (63) when the id is long. */
    public static String jobName(String jobId) {
        String name = "ich-" + jobId.replace('_', '-').replace('.', '-');
        if (name.length() <= 52) return name; // room for the pods' "-<index>-<random>" suffixes
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(jobId.getBytes(StandardCharsets.UTF_8));
            return name.substring(0, 43) + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

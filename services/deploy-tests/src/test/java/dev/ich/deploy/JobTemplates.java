package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.List;

/** The training Job template as the chart renders it: the ConfigMap's key, the mount the service reads. */
public final class JobTemplates {
    /** The contract (docs/training-api.md, "The Job template"): ConfigMap key, and where the service reads it. */
    public static final String KEY = "job-template.yaml";
    static final String MOUNT_DIR = "/etc/ich/training";
    static final String CONFIG_MAP = "ich-training-job-template";

    private JobTemplates() {
    }

    public static String yaml(List<HasMetadata> rendered) {
        String yaml = Manifests.named(rendered, ConfigMap.class, CONFIG_MAP).getData().get(KEY);
        if (yaml == null) throw new AssertionError("ConfigMap " + CONFIG_MAP + " has no key " + KEY);
        return yaml;
    }

    public static Job job(List<HasMetadata> rendered) {
        return (Job) Manifests.parseOne(yaml(rendered));
    }
}

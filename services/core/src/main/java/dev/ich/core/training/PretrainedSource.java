package dev.ich.core.training;

import dev.ich.core.contract.ObjectKeys;

import java.util.regex.Pattern;

/**
 * Where a job's starting weights may come from ({@link JobSpec#pretrained()}), and nowhere else: a registry model,
 * {@code model:<name>/<version>}, or a TorchScript backbone in the bucket under {@link #PREFIX},
 * {@code s3:pretrained/<file>}. A job spec comes from whoever may submit jobs, and the trainer runs with the
 * bucket's credentials on a node's file system: a local path ({@code /etc/shadow}), an absolute or {@code ..} key
 * or another prefix of the bucket (a patient's raw DICOM) is refused by its form alone, with the same message
 * whatever exists there, so the refusal tells nothing about the file system or the bucket.
 */
public sealed interface PretrainedSource {
    /** The one prefix of the bucket that backbones are read from (docs/training-api.md, "Pretrained weights"). */
    String PREFIX = "pretrained/";
    /** A path segment under {@link #PREFIX}: letters, digits, '.', '-', '_', starting with a letter or digit. */
    Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** A registry model's weights ({@code models/<name>/<version>/weights/}), which must have the job's network shape. */
    record Registry(String name, String version) implements PretrainedSource {
        public String weightsKey() {
            return ObjectKeys.model(name, version) + "weights/";
        }

        public String modelJsonKey() {
            return ObjectKeys.model(name, version) + "model.json";
        }

        @Override
        public String toString() {
            return "model:" + name + "/" + version;
        }
    }

    /** A TorchScript backbone file in the bucket, at {@code key} (always under {@link #PREFIX}). */
    record Bucket(String key) implements PretrainedSource {
        @Override
        public String toString() {
            return "s3:" + key;
        }
    }

    /** The reference parsed, or IllegalArgumentException (naming {@code pretrained}) for anything but the two forms. */
    static PretrainedSource parse(String reference) {
        if (reference != null && reference.startsWith("model:")) {
            String[] nv = reference.substring("model:".length()).split("/", -1);
            if (nv.length == 2) {
                try {
                    return new Registry(ObjectKeys.requireName("model name", nv[0]), ObjectKeys.requireName("model version", nv[1]));
                } catch (IllegalArgumentException e) {
                    throw refused(reference);
                }
            }
        } else if (reference != null && reference.startsWith("s3:" + PREFIX) && reference.length() <= 512) {
            String key = reference.substring("s3:".length());
            String[] segments = key.substring(PREFIX.length()).split("/", -1);
            boolean ok = !key.contains("..");
            for (String s : segments) ok &= SEGMENT.matcher(s).matches();
            if (ok) return new Bucket(key);
        }
        throw refused(reference);
    }

    private static IllegalArgumentException refused(String reference) {
        String shown = reference == null ? "missing" : "'" + (reference.length() > 80 ? reference.substring(0, 80) + "..." : reference) + "'";
        return new IllegalArgumentException("pretrained must be model:<name>/<version> (a registry model) or s3:" + PREFIX
                + "<file> (a TorchScript backbone uploaded to the bucket under " + PREFIX + "), not " + shown
                + ": local paths, other prefixes of the bucket, absolute keys and '..' are refused");
    }
}

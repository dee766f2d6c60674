package dev.ich.training.jobs;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.event.Events;
import dev.ich.core.training.JobKind;
import dev.ich.core.training.JobSpec;
import dev.ich.core.training.Violation;
import dev.ich.runtime.problem.ApiProblem;
import dev.ich.training.launch.Launch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The body of {@code POST /jobs}: the trainer's job spec ({@link JobSpec}, every field of it) plus what only the
 * service knows: {@code kind} may also be {@code sweep}, with {@code seeds} (a count, counting up from {@code seed},
 * or a list); {@code retries} and {@code maxDurationSeconds} bound a Kubernetes Job. Parsed strictly: an unknown
 * field or a value of the wrong JSON type is a 400 naming it; a value the spec's rules refuse (an unknown name among
 * the enums included) a 422 naming the field, with every rule broken in the detail.
 */
public record JobRequest(JobSpec spec, boolean sweep, List<Long> seeds, Launch.Options options) {
    public static final String SWEEP = Job.SWEEP;
    /** A job id becomes a Kubernetes Job name and label value, so a DNS label with room for the name's prefix. */
    static final Pattern ID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,46}[a-z0-9])?");

    public static JobRequest parse(JsonNode body, String generatedId) throws IOException {
        if (!(body instanceof ObjectNode node)) throw ApiProblem.badRequest("the body must be a JSON object: a job spec");
        ObjectNode copy = node.deepCopy();
        JsonNode seedsNode = copy.remove("seeds");
        Integer retries = integer(copy.remove("retries"), "retries");
        JsonNode maxDuration = copy.remove("maxDurationSeconds");
        Long maxDurationSeconds = maxDuration == null || maxDuration.isNull() ? null : (long) integer(maxDuration, "maxDurationSeconds");
        String kind = copy.path("kind").isNull() ? null : copy.path("kind").asText(null);
        if (kind != null && !List.of(JobKind.TRAIN.json(), JobKind.LR_FIND.json(), JobKind.CALIBRATE.json(), JobKind.STUDY_HEAD.json(), SWEEP)
                .contains(kind)) {
            throw ApiProblem.invalidField("kind", "kind must be train, lr-find, calibrate, study-head or sweep, not '" + kind + "'");
        }
        boolean sweep = SWEEP.equals(kind);
        if (sweep) copy.put("kind", JobKind.TRAIN.json());
        if (!copy.hasNonNull("id")) copy.put("id", generatedId);
        String id = copy.path("id").asText();
        if (!ID.matcher(id).matches()) {
            throw ApiProblem.invalidField("id", "id must be 1-48 lower-case letters, digits or '-', starting and ending with a letter or "
                    + "digit (it names a Kubernetes Job), not '" + id + "'");
        }
        JobSpec.Builder builder;
        try {
            builder = Events.JSON.treeToValue(copy, JobSpec.Builder.class);
        } catch (ValueInstantiationException e) {
            // A name none of the contract's enums has ("architecture": "vgg"): a value the rules refuse, not broken JSON.
            if (!e.getType().isEnumType()) throw e;
            throw ApiProblem.invalidField(path(e), e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage());
        }
        List<Violation> violations = builder.violations();
        if (!violations.isEmpty()) {
            throw ApiProblem.invalidField(violations.get(0).field(), violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
        }
        JobSpec spec = builder.build();
        if (retries != null && (retries < 0 || retries > 10)) throw ApiProblem.invalidField("retries", "retries must be 0..10, not " + retries);
        if (maxDurationSeconds != null && maxDurationSeconds < 60) {
            throw ApiProblem.invalidField("maxDurationSeconds", "maxDurationSeconds must be at least 60, not " + maxDurationSeconds);
        }
        List<Long> seeds = List.of(spec.seed());
        if (sweep) seeds = seeds(seedsNode, spec.seed());
        else if (seedsNode != null && !seedsNode.isNull()) {
            throw ApiProblem.invalidField("seeds", "seeds belongs to kind sweep; this job's kind is " + spec.kind());
        }
        return new JobRequest(spec, sweep, seeds, new Launch.Options(retries, maxDurationSeconds));
    }

    public String kind() {
        return sweep ? SWEEP : spec.kind().json();
    }

    /** The spec of each run: the job's own, or per seed of a sweep its id, seed and model name. */
    public List<JobSpec> runs() {
        if (!sweep) return List.of(spec);
        List<JobSpec> runs = new ArrayList<>();
        for (long seed : seeds) {
            runs.add(spec.toBuilder().setId(runId(spec.id(), seed)).optSeed(seed).optModelName(spec.modelName() + "-seed" + seed).build());
        }
        return runs;
    }

    /** {@code <sweep id>-s<seed>}: the trainer's job id of one seed of a sweep (its artefacts: {@code jobs/<run id>/}). */
    static String runId(String jobId, long seed) {
        return jobId + "-s" + seed;
    }

    private static List<Long> seeds(JsonNode node, long first) {
        Set<Long> seeds = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            throw ApiProblem.invalidField("seeds", "a sweep needs seeds: a count (seeds counting up from seed) or a list of seeds");
        } else if (node.isIntegralNumber()) {
            for (int i = 0; i < node.asInt(); i++) seeds.add(first + i);
            if (node.asInt() < 2) throw ApiProblem.invalidField("seeds", "a sweep needs at least 2 seeds, not " + node.asInt());
        } else if (node.isArray()) {
            for (JsonNode s : node) {
                if (!s.isIntegralNumber() || s.asLong() < 0) throw ApiProblem.invalidField("seeds", "seeds must be non-negative integers, not " + s);
                if (!seeds.add(s.asLong())) throw ApiProblem.invalidField("seeds", "seed " + s + " appears twice");
            }
            if (seeds.size() < 2) throw ApiProblem.invalidField("seeds", "a sweep needs at least 2 seeds, not " + seeds.size());
        } else {
            throw ApiProblem.invalidField("seeds", "seeds must be a count or a list of integers, not " + node);
        }
        return List.copyOf(seeds);
    }

    private static Integer integer(JsonNode node, String field) {
        if (node == null || node.isNull()) return null;
        if (!node.isIntegralNumber()) throw ApiProblem.badRequest(field + " must be an integer, not " + node);
        return node.asInt();
    }

    /** The JSON path of the field Jackson failed at ({@code augmentations.flipProbability}). */
    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    static String generatedId(String kind, java.time.Instant now, java.util.random.RandomGenerator random) {
        String k = kind == null ? JobKind.TRAIN.json() : kind.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (k.isEmpty() || k.length() > 10) k = "job";
        return k + "-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC).format(now)
                + "-" + String.format("%04x", random.nextInt(0x10000));
    }
}

package dev.ich.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's main command, as a newcomer runs it: `./ich demo --quick` on the packaged CLI and services, its own
 * local stack (free ports, state in a temporary directory, so a developer's running stack is left alone), Kafka and
 * S3 for real, the trainer as child processes. Asserts the final numbers, then stops the stack.
 */
class QuickDemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theQuickDemoRunsEveryStepAndItsModelBeatsTheMajorityClassOnHeldOutPatients(@TempDir Path state) throws Exception {
        LocalStackRun stack = new LocalStackRun(state);
        Path output = state.resolve("demo-output.txt");
        int status;
        int statusWithoutTraining;
        AuditTrail audit;
        try {
            status = stack.ich(output, 40, "demo", "--quick");
            // Every action of the demo, and two refused calls made now, are on the audit topic; ./ich audit reads it.
            audit = AuditTrail.refuseTwoCallsThenRead(state.resolve("stack.env"),
                    stack::token, () -> stack.run("audit", "--no-follow", "--json"));
            // A failure names its step and the log to read: the training service gone, the demo run again on the same stack.
            stack.process("training").ifPresent(p -> {
                p.destroy();
                p.onExit().join();
            });
            statusWithoutTraining = stack.ich(state.resolve("demo-without-training.txt"), 5, "demo", "--quick");
        } finally {
            stack.ich(state.resolve("down-output.txt"), 3, "down");
        }
        String printed = Files.readString(output);
        String failed = Files.readString(state.resolve("demo-without-training.txt"));
        assertThat(statusWithoutTraining).as(failed).isEqualTo(1);
        assertThat(failed).contains("step 'stack' failed: training did not answer").contains("its log: " + state.resolve("logs/training.log"));
        assertThat(status).as("exit status of ./ich demo --quick; its output:%n%s", printed).isZero();
        audit.assertEveryDemoActionAndEachRefusalIsRecorded();

        JsonNode summary = JSON.readTree(summaryFile(printed).toFile());
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        List<String> steps = new ArrayList<>();
        summary.path("steps").forEach(s -> steps.add(s.path("step").asText()));
        assertThat(steps).containsExactly("stack", "phantoms", "ingest", "cleaning", "labels", "exploration", "dataset", "metadata-only",
                "lr-find", "baseline", "fine-tune", "study-head", "promote", "predict", "triage");

        JsonNode n = summary.path("numbers");
        // Every phantom slice went in through one of the three doors and reached the metadata table.
        assertThat(n.path("ingest.stored").asLong() + n.path("ingest.duplicate").asLong()).isEqualTo(n.path("phantoms.slices").asLong());
        assertThat(n.path("cleaning.kept").asLong() + n.path("cleaning.dropped").asLong()).isEqualTo(n.path("phantoms.slices").asLong());
        assertThat(n.path("cleaning.dropped").asLong()).as("the drop rule removes slices above the head and at the teeth").isPositive();

        // Validation is the dataset's held-out patients: the promoted model must beat always answering the majority class, clearly.
        double majority = n.path("dataset.validMajority").asDouble();
        double best = Math.max(n.path("baseline.accuracy").asDouble(), n.path("fine-tune.accuracy").asDouble());
        assertThat(majority).isBetween(0.4, 0.7);
        assertThat(best).as("best validation accuracy vs the majority class %.3f%n%s", majority, printed).isGreaterThan(majority + 0.1);
        assertThat(Math.max(n.path("baseline.auc").asDouble(), n.path("fine-tune.auc").asDouble())).isGreaterThan(0.75);

        // The study head was trained on the fine-tune's features and scored beside slice max on the same held-out studies.
        for (String scoring : List.of("sliceMax", "studyHead")) {
            assertThat(n.path("studyLevel." + scoring + ".study_weighted_log_loss").asDouble()).as(scoring).isPositive().isFinite();
            assertThat(n.path("studyLevel." + scoring + ".slice_auc_any").asDouble()).as(scoring).isBetween(0.0, 1.0);
        }

        // The promoted model answered for a study no step had seen, through the inference service.
        assertThat(n.path("heldOut.studies").asInt()).isPositive();
        assertThat(n.path("heldOut.sliceAccuracy").asDouble()).isGreaterThan(0.5);
        assertThat(summary.path("links").path("exploration report").asText()).contains("/exploration/report?labels=");
        assertThat(printed).contains("held-out study").contains("truth").contains("predicted").contains("total");

        // The held-out studies came through the DICOM door and were triaged with no call by hand: an SR and heatmaps each,
        // in the stack's Orthanc when it is installed (./ich test installs it), else in the bucket.
        assertThat(n.path("triage.triaged").asInt()).isEqualTo(n.path("heldOut.studies").asInt());
        assertThat(n.path("triage.resultObjects").asInt()).isGreaterThanOrEqualTo(2 * n.path("triage.triaged").asInt());
        if (Files.isExecutable(Path.of("/usr/sbin/Orthanc"))) {
            assertThat(n.path("triage.inPacs").asInt()).isEqualTo(n.path("triage.resultObjects").asInt());
        }
    }

    /**
     * The summary of the run that printed {@code output}: its first line names the run's folder. (Both runs of this test
     * write a summary under demo/; directory order says nothing about which is which.)
     */
    private static Path summaryFile(String output) {
        Matcher m = Pattern.compile("results and summary in (\\S+)").matcher(output);
        if (!m.find()) throw new AssertionError("the demo did not name its results folder; its output:\n" + output);
        Path summary = Path.of(m.group(1)).resolve("summary.json");
        assertThat(summary).as("the summary the demo names").isRegularFile();
        return summary;
    }
}

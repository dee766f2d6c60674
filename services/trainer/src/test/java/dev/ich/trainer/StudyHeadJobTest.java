package dev.ich.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.dataset.DatasetInput;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.core.training.JobKind;
import dev.ich.core.training.JobSpec;
import dev.ich.core.training.Schedule;
import dev.ich.core.training.Task;
import dev.ich.testkit.EmbeddedS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Given a tiny phantom dataset with one neighbour each side (every slice of every study, not balanced), a slice model
 * trains on the stacked channels, and a study-head job on its features stores a model version with per-slice and
 * per-study outputs, scored against max over slices on the same validation studies.
 */
class StudyHeadJobTest {
    private static EmbeddedS3 s3;
    private static Blobs blobs;
    private static DatasetPublished dataset;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0);
        ObjectStore store = new ObjectStore(new StorageSettings(s3.endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, "ich"));
        store.ensureBucket();
        blobs = Blobs.of(store);
        dataset = PhantomDataset.build(blobs, dir.resolve("scratch"), 6, 64, 10, 0.3, 11, Task.ANY, 1, false, "v1",
                new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) s3.close();
    }

    private static JobSpec.Builder small(String id) {
        return JobSpec.builder().setId(id).setDataset(dataset.id()).optEpochs(1).optLr(1e-3).optBatchSize(8).optAugment(false).optSeed(5L)
                .optSchedule(Schedule.CONSTANT).optWorkers(1);
    }

    @Test
    void aStudyHeadOnAContextModelStoresPerSliceAndPerStudyOutputs(@TempDir Path work) throws Exception {
        // the 2.5D slice model: three slices of three channels each
        TrainingJob.Outcome slices = new TrainingJob(small("slices-ctx").optMaxBatches(2).optModelName("phantom-ctx").build(), blobs,
                EventSink.console(new PrintStream(new ByteArrayOutputStream())), work.resolve("a")).run();
        JsonNode sliceModel = Events.JSON.readTree(blobs.get(slices.modelKey() + "model.json"));
        assertThat(sliceModel.path("channels").asInt()).isEqualTo(9);
        assertThat(sliceModel.path("preprocessing").path("context").asInt()).isEqualTo(1);
        assertThat(sliceModel.path("preprocessing").path("pipeline").asText()).isEqualTo(DatasetInput.of(dataset).cleaningPipeline())
                .isNotEqualTo(dataset.pipeline());
        assertThat(sliceModel.path("preprocessing").path("config").isObject()).as("the cleaning config serving would need").isTrue();

        // when a study-head job runs on its features
        TrainingJob.Outcome head = new TrainingJob(small("head").optKind(JobKind.STUDY_HEAD).optEpochs(3).optModelName("phantom-head")
                .optSourceModel("model:phantom-ctx/v1").build(), blobs, EventSink.console(new PrintStream(new ByteArrayOutputStream())),
                work.resolve("b")).run();

        // then a new model version names its source and holds both levels' outputs and scores
        assertThat(head.modelKey()).isEqualTo("models/phantom-head/v1/");
        JsonNode model = Events.JSON.readTree(blobs.get(head.modelKey() + "model.json"));
        assertThat(model.path("kind").asText()).isEqualTo("study-head");
        assertThat(model.path("sourceModel").asText()).isEqualTo("model:phantom-ctx/v1");
        assertThat(model.path("lineage").path("sourceModel").asText()).isEqualTo("model:phantom-ctx/v1");
        assertThat(model.path("lineage").path("datasetDigest").asText()).startsWith("sha256:");
        assertThat(model.path("outputs").toString()).contains("per-slice", "per-study");
        assertThat(model.path("preprocessing").path("context").asInt()).isEqualTo(1);
        assertThat(blobs.list(head.modelKey() + "weights/")).contains(head.modelKey() + "weights/study-head.params",
                head.modelKey() + "weights/study-head.json");
        long validSlices = dataset.counts().get("valid").get("slices");
        long validStudies = dataset.counts().get("valid").get("patients"); // one study per phantom patient
        assertThat(head.validation().uids()).as("every validation slice scored").hasSize((int) validSlices);
        assertThat(head.studyLevel()).extracting(s -> s.name()).containsExactly("slice max", "study head");
        assertThat(head.studyLevel()).allSatisfy(s -> {
            assertThat(s.studies()).isEqualTo((int) validStudies);
            assertThat(s.slices()).isEqualTo((int) validSlices);
            assertThat(s.studyWeightedLogLoss()).isPositive().isFinite();
        });
        JsonNode metrics = Events.JSON.readTree(blobs.get("jobs/head/metrics.json"));
        assertThat(metrics.path("trainLoss")).hasSize(3);
        assertThat(metrics.path("studyHead").path("studies").asInt()).isEqualTo((int) validStudies);
        assertThat(new String(blobs.get("jobs/head/study-levels.md"))).contains("| study head |", "| slice max |");

        // and a study head is no source for another one
        assertThatThrownBy(() -> new TrainingJob(small("head-on-head").optKind(JobKind.STUDY_HEAD).optModelName("phantom-head")
                .optSourceModel("model:phantom-head/v1").build(), blobs, EventSink.console(new PrintStream(new ByteArrayOutputStream())),
                work.resolve("c")).run()).hasMessageContaining("is itself a study head");
    }
}

package dev.ich.core.training;

import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.augment.AugmentationConfig;
import dev.ich.core.event.Events;
import dev.ich.core.event.TrainingEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobSpecTest {

    @Test
    void theBuilderFillsInTheDefaults() {
        JobSpec spec = JobSpec.builder().setId("job-1").setDataset("any-balanced@v1").build();

        assertThat(spec.kind()).isEqualTo(JobKind.TRAIN);
        assertThat(spec.task()).as("the dataset's task").isNull();
        assertThat(spec.architecture()).isEqualTo(Architecture.RESNET18);
        assertThat(spec.epochs()).isEqualTo(5);
        assertThat(spec.lr()).isEqualTo(3e-3);
        assertThat(spec.lrMin()).isEqualTo(3e-3);
        assertThat(spec.lrMax()).isEqualTo(3e-3);
        assertThat(spec.batchSize()).isEqualTo(32);
        assertThat(spec.augmentations()).isEqualTo(AugmentationConfig.defaults());
        assertThat(spec.augment()).isTrue();
        assertThat(spec.seed()).isEqualTo(42L);
        assertThat(spec.modelName()).isEqualTo("any-balanced");
        assertThat(spec.optimizer()).isEqualTo(Optimizer.ADAMW);
        assertThat(spec.schedule()).isEqualTo(Schedule.ONE_CYCLE);
        assertThat(spec.workers()).isEqualTo(2);
        assertThat(spec.maxBatches()).isNull();
        assertThat(spec.datasetName()).isEqualTo("any-balanced");
        assertThat(spec.datasetVersion()).isEqualTo("v1");
    }

    @Test
    void everyBrokenRuleIsListedWithItsField() {
        JobSpec.Builder b = JobSpec.builder().setId("Not_A_Name").setDataset("tiny@v1").optEpochs(0).optLr(-1.0).optBatchSize(0)
                .optMaxBatches(0).optPretrained("/etc/shadow");

        assertThat(b.violations()).extracting(Violation::field)
                .containsExactly("id", "pretrained", "epochs", "lr", "batchSize", "maxBatches");
        assertThatThrownBy(b::build).isInstanceOfSatisfying(InvalidJobSpecException.class,
                e -> assertThat(e.violations()).isEqualTo(b.violations()));
    }

    @Test
    void aDiscriminativeRangeNeedsItsBoundsInOrder() {
        JobSpec.Builder b = JobSpec.builder().setId("j").setDataset("d@v1").optLrMin(1e-2).optLrMax(1e-3);

        assertThat(b.violations()).extracting(Violation::field).containsExactly("lrMin");
        assertThat(JobSpec.builder().setId("j").setDataset("d@v1").optFreezeEpochs(6).violations())
                .extracting(Violation::field).containsExactly("freezeEpochs");
        assertThat(JobSpec.builder().setDataset("nothing").violations()).extracting(Violation::field).containsExactly("id", "dataset");
    }

    @Test
    void calibrateAndStudyHeadJobsNameTheirSourceModelAndOnlyThey() {
        assertThat(JobSpec.builder().setId("j").setDataset("d@v1").optKind(JobKind.CALIBRATE).violations())
                .extracting(Violation::field).containsExactly("sourceModel");
        assertThat(JobSpec.builder().setId("j").setDataset("d@v1").optSourceModel("model:any/v1").violations())
                .extracting(Violation::message).singleElement().asString().contains("calibrate and study-head");
        assertThat(JobSpec.builder().setId("j").setDataset("d@v1").optKind(JobKind.STUDY_HEAD).optSourceModel("s3:pretrained/r18.pt")
                .violations()).extracting(Violation::field).containsExactly("sourceModel");
        assertThat(JobSpec.builder().setId("j").setDataset("d@v1").optKind(JobKind.STUDY_HEAD).optSourceModel("model:../x/v1")
                .violations()).extracting(Violation::field).containsExactly("sourceModel");
        JobSpec spec = JobSpec.builder().setId("j").setDataset("d@v1").optKind(JobKind.CALIBRATE).optSourceModel("model:any/v3").build();
        assertThat(spec.sourceRegistryModel()).isEqualTo(new PretrainedSource.Registry("any", "v3"));
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(JobKind.parse("study-head")).isEqualTo(JobKind.STUDY_HEAD);
    }

    @Test
    void enumsAreLowerCaseInJsonAndReadInAnyCase() throws Exception {
        ObjectNode json = Events.JSON.readValue("""
                {"id": "j", "dataset": "d@v1", "kind": "lr-find", "task": "MultiLabel", "architecture": "ResNet34",
                 "optimizer": "SGD", "schedule": "one-cycle"}""", ObjectNode.class);
        JobSpec spec = Events.JSON.treeToValue(json, JobSpec.class);

        assertThat(spec.kind()).isEqualTo(JobKind.LR_FIND);
        assertThat(spec.task()).isEqualTo(Task.MULTILABEL);
        assertThat(spec.architecture()).isEqualTo(Architecture.RESNET34);
        ObjectNode written = Events.JSON.valueToTree(spec);
        assertThat(written.path("kind").asText()).isEqualTo("lr-find");
        assertThat(written.path("task").asText()).isEqualTo("multilabel");
        assertThat(written.path("architecture").asText()).isEqualTo("resnet34");
        assertThat(written.path("optimizer").asText()).isEqualTo("sgd");
        assertThat(written.path("schedule").asText()).isEqualTo("one_cycle");
        assertThat(written.has("datasetName")).as("only the fields").isFalse();
        assertThat(Events.JSON.treeToValue(written, JobSpec.class)).as("spec.json reads back as it was").isEqualTo(spec);
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void anUnknownNameIsRefusedAtItsFieldWithTheChoices() {
        assertThatThrownBy(() -> Events.JSON.readValue("{\"id\": \"j\", \"dataset\": \"d@v1\", \"optimizer\": \"rmsprop\"}", JobSpec.Builder.class))
                .isInstanceOfSatisfying(ValueInstantiationException.class, e -> {
                    assertThat(e.getPath()).extracting(r -> r.getFieldName()).containsExactly("optimizer");
                    assertThat(e.getCause()).hasMessage("optimizer must be adamw or sgd, not 'rmsprop'");
                });
        assertThatThrownBy(() -> Architecture.parse("vgg")).hasMessage("architecture must be resnet18 or resnet34, not 'vgg'");
    }

    @Test
    void aTrainingEventWithoutModelKeyLeavesItOutAndReadersSkipFieldsTheyDoNotKnow() throws Exception {
        TrainingEvent started = new TrainingEvent("j", TrainingEvent.STARTED, null, null, null, null, null, null, null, null, "go",
                Instant.parse("2026-01-01T00:00:00Z"), null);
        assertThat(Events.JSON.writeValueAsString(started)).doesNotContain("modelKey");

        TrainingEvent later = Events.JSON.readValue("{\"jobId\": \"j\", \"kind\": \"completed\", \"modelKey\": \"models/m/v1/\","
                + " \"addedLater\": 1}", TrainingEvent.class);
        assertThat(later.modelKey()).isEqualTo("models/m/v1/");
    }
}

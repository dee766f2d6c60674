package dev.ich.trainer;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.event.TrainingEvent;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.core.training.JobKind;
import dev.ich.core.training.JobSpec;
import dev.ich.core.training.Schedule;
import dev.ich.core.training.Task;
import dev.ich.testkit.EmbeddedKafka;
import dev.ich.testkit.EmbeddedS3;
import dev.ich.testkit.TopicTap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The trainer on real S3 and Kafka with a tiny phantom dataset and a budget of two batches per epoch:
 * the loss falls, every artefact is written, events tell the story, a restarted job resumes, the finder
 * runs alone, and a bad job fails with a reason.
 */
class TrainingJobTest {
    private static EmbeddedS3 s3;
    private static EmbeddedKafka kafka;
    private static ObjectStore store;
    private static Blobs blobs;
    private static DatasetPublished dataset;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0);
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, false);
        kafka.createTopics(List.of(Topics.all()), Set.of(Topics.SLICES_CLEANED), 1);
        store = new ObjectStore(new StorageSettings(s3.endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, "ich"));
        store.ensureBucket();
        blobs = Blobs.of(store);
        dataset = PhantomDataset.build(blobs, dir.resolve("scratch"), 6, 64, 12, 1.0 / 7, 3, Task.ANY, new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) kafka.close();
        if (s3 != null) s3.close();
    }

    private static JobSpec spec(String id, JobKind kind, int epochs) {
        return small(id).optKind(kind).optEpochs(epochs).optModelName("phantom-model").build();
    }

    @Test
    void aJobLearnsWritesEveryArtefactAndTellsItsStory(@TempDir Path work) throws Exception {
        try (TopicTap tap = new TopicTap(kafka.bootstrapServers(), Topics.TRAINING_EVENTS);
             EventSink events = EventSink.kafka(kafka.bootstrapServers(), "/test")) {
            TrainingJob.Outcome outcome = new TrainingJob(spec("job-a", JobKind.TRAIN, 3), blobs, events, work).run();

            assertThat(outcome.epochs()).hasSize(3);
            assertThat(outcome.epochs().get(2).trainLoss()).as("the loss falls").isLessThan(outcome.epochs().get(0).trainLoss());
            assertThat(blobs.list("jobs/job-a/")).contains("jobs/job-a/spec.json", "jobs/job-a/metrics.json", "jobs/job-a/report.html",
                    "jobs/job-a/checkpoints/epoch-000/done", "jobs/job-a/checkpoints/epoch-002/done")
                    .anyMatch(k -> k.endsWith(".png"));
            assertThat(outcome.modelKey()).isEqualTo("models/phantom-model/v1/");
            var model = Events.JSON.readTree(blobs.get(outcome.modelKey() + "model.json"));
            assertThat(model.path("architecture").asText()).isEqualTo("resnet18");
            assertThat(model.path("dataset").asText()).isEqualTo(dataset.id());
            assertThat(model.path("preprocessing").path("pipeline").asText()).isEqualTo(dataset.pipeline());
            assertThat(model.path("preprocessing").path("config").isObject()).isTrue();
            assertThat(blobs.list(outcome.modelKey() + "weights/")).isNotEmpty();
            // The thresholds the study triage calls at, chosen on this run's validation slices, for every label.
            var point = model.path("operatingPoint");
            assertThat(point.path("targetSensitivity").asDouble()).isEqualTo(0.95);
            assertThat(point.path("chosenOn").asText()).isEqualTo("validation");
            model.path("labels").forEach(label -> assertThat(point.path("labels").path(label.asText()).path("threshold").asDouble())
                    .as(label.asText()).isBetween(0.0, 1.0));
            // Calibrated probabilities: a temperature per label fitted on validation, the ECE before and after, the bins.
            var calibration = model.path("calibration");
            assertThat(calibration.path("method").asText()).isEqualTo(dev.ich.model.Calibration.METHOD);
            assertThat(calibration.path("bins").asInt()).isEqualTo(10);
            double temperature = calibration.path("temperature").path("any").asDouble();
            assertThat(temperature).isBetween(dev.ich.model.Calibration.MIN_TEMPERATURE, dev.ich.model.Calibration.MAX_TEMPERATURE);
            assertThat(calibration.path("ece").path("before").path("any").isNumber()).isTrue();
            assertThat(calibration.path("ece").path("after").path("any").asDouble())
                    .as("fitting minimises log loss; on these few slices the ECE is at least not made worse by much")
                    .isLessThanOrEqualTo(calibration.path("ece").path("before").path("any").asDouble() + 0.05);
            int binned = 0;
            for (var bin : calibration.path("reliability").path("any")) binned += bin.path("count").asInt();
            assertThat(calibration.path("reliability").path("any")).hasSize(10);
            assertThat(binned).as("every validation slice in a bin").isEqualTo(outcome.validation().uids().size());
            // the threshold is in calibrated space: the calibrated probability of some validation positive
            double threshold = point.path("labels").path("any").path("threshold").asDouble();
            var calibrated = dev.ich.model.Calibration.apply(outcome.validation().probabilities(), temperature);
            boolean onAPositive = false;
            for (int i = 0; i < calibrated.length; i++) {
                if (outcome.validation().targets()[i] >= 0.5f && Math.abs(calibrated[i] - threshold) < 1e-6) onAPositive = true;
            }
            if (point.path("labels").path("any").has("sensitivity")) assertThat(onAPositive).as("threshold " + threshold).isTrue();
            // Lineage: the dataset version and the digest of its dataset.json, the job and its spec, the code.
            var lineage = model.path("lineage");
            assertThat(lineage.path("dataset").asText()).isEqualTo(dataset.id());
            byte[] datasetJson = blobs.get(ObjectKeys.datasetJson(dataset.name(), dataset.version()));
            assertThat(lineage.path("datasetDigest").asText()).isEqualTo("sha256:" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(datasetJson)));
            assertThat(lineage.path("pipeline").asText()).isEqualTo(dataset.pipeline());
            assertThat(lineage.path("labelsVersion").asInt()).isEqualTo(dataset.labelsVersion());
            assertThat(lineage.path("job").asText()).isEqualTo("job-a");
            assertThat(lineage.path("spec").path("id").asText()).isEqualTo("job-a");
            assertThat(lineage.path("spec").path("epochs").asInt()).isEqualTo(3);
            assertThat(lineage.path("code").path("version").asText()).as("the project's version, from the build").matches("\\d+\\.\\d+.*");
            var commit = lineage.path("code").path("commit");
            assertThat(commit.isNull() || commit.asText().matches("[0-9a-f]{40}")).as("a git commit or null, never invented: " + commit).isTrue();
            // Grad-CAM of a few validation slices beside the results grid: stored, and inlined in the report.
            byte[] heatmaps = blobs.get("jobs/job-a/heatmaps.png");
            java.awt.image.BufferedImage grid = dev.ich.core.augment.PlanarImage.readPng(heatmaps);
            assertThat(grid.getWidth()).isEqualTo(Artefacts.HEATMAP_SLICES * 192);
            String report = new String(blobs.get("jobs/job-a/report.html"), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(report).contains("<h2>heatmaps</h2>").contains(java.util.Base64.getEncoder().encodeToString(heatmaps));
            assertThat(report.indexOf("<h2>heatmaps</h2>")).as("beside the results grid").isGreaterThan(report.indexOf("<h2>results</h2>"));
            // validation by subgroup: every validation slice in one scanner group, each group's figures at the operating point
            var pixels = model.path("metrics").path("subgroups").path("pixels");
            int inGroups = 0;
            for (var group : pixels) inGroups += group.path("count").asInt();
            assertThat(inGroups).isEqualTo(outcome.validation().uids().size());
            assertThat(pixels.fieldNames()).toIterable().allMatch(g -> g.matches("\\d+ bit / (un)?signed"));
            assertThat(report).contains("<h2>Metrics by subgroup</h2>");
            // the calibration and operating point tables, and the reliability diagram, in the report
            assertThat(report).contains("<h2>Calibration</h2>").contains("<h2>Operating point</h2>").contains("<h2>reliability</h2>")
                    .contains(java.util.Base64.getEncoder().encodeToString(blobs.get("jobs/job-a/reliability.png")));

            List<ConsumerRecord<String, String>> records = await().atMost(Duration.ofSeconds(30)).until(tap::records,
                    r -> r.stream().anyMatch(x -> x.value().contains("\"completed\"")));
            List<String> kinds = records.stream().filter(r -> "job-a".equals(r.key())).map(r -> parse(r).kind()).toList();
            assertThat(kinds).startsWith(TrainingEvent.STARTED).endsWith(TrainingEvent.COMPLETED).contains(TrainingEvent.PROGRESS);
            assertThat(kinds.stream().filter(TrainingEvent.EPOCH::equals).count()).isEqualTo(3);
            TrainingEvent completed = records.stream().filter(r -> "job-a".equals(r.key())).map(TrainingJobTest::parse)
                    .filter(e -> TrainingEvent.COMPLETED.equals(e.kind())).findFirst().orElseThrow();
            assertThat(completed.modelKey()).as("the model written, in its own field").isEqualTo(outcome.modelKey());
            assertThat(TopicTap.header(records.get(0), "ce_type")).isEqualTo(TrainingEvent.TYPE);
        }
    }

    @Test
    void aRestartedJobResumesAfterItsLastCheckpoint(@TempDir Path work) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (EventSink events = EventSink.console(new PrintStream(log, true))) {
            new TrainingJob(spec("job-r", JobKind.TRAIN, 1), blobs, events, work.resolve("first")).run();
            // the same job id with more epochs, as after a crash: the first epoch is not trained again
            TrainingJob.Outcome again = new TrainingJob(spec("job-r", JobKind.TRAIN, 2), blobs, events, work.resolve("second")).run();
            assertThat(again.epochs()).extracting(e -> e.epoch()).containsExactly(0, 1);
        }
        assertThat(log.toString()).contains("resuming after the checkpoint of epoch 1");
        assertThat(blobs.list("models/phantom-model/")).anyMatch(k -> k.endsWith("model.json"));
    }

    @Test
    void theFinderRunsAloneAndSuggestsARate(@TempDir Path work) throws Exception {
        try (EventSink events = EventSink.console(new PrintStream(new ByteArrayOutputStream()))) {
            TrainingJob.Outcome outcome = new TrainingJob(spec("job-f", JobKind.LR_FIND, 1), blobs, events, work).run();
            assertThat(outcome.finder().steepest()).isBetween(1e-7, 10.0);
            assertThat(blobs.list("jobs/job-f/")).contains("jobs/job-f/lr-finder.json").anyMatch(k -> k.endsWith(".png"));
        }
    }

    @Test
    void aJobOnAMissingDatasetFailsWithTheReason(@TempDir Path work) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        JobSpec bad = JobSpec.builder().setId("job-x").setDataset("nothing@v1").optEpochs(1).optMaxBatches(1).build();
        try (EventSink events = EventSink.console(new PrintStream(log, true))) {
            assertThatThrownBy(() -> new TrainingJob(bad, blobs, events, work).run()).hasMessageContaining("nothing@v1")
                    .hasMessageContaining("not published");
        }
        assertThat(log.toString()).startsWith("failed").contains("nothing@v1");
    }

    @Test
    void aDeletedModelVersionsNumberIsNeverGivenAgain(@TempDir Path work) throws Exception {
        try (EventSink events = EventSink.console(new PrintStream(new ByteArrayOutputStream()))) {
            String first = new TrainingJob(named("job-n1", "renumbered"), blobs, events, work.resolve("a")).run().modelKey();
            assertThat(first).isEqualTo("models/renumbered/v1/");
            // an operator removes the newest version: max(existing) + 1 would hand v1 out again
            for (String key : blobs.list(first)) store.delete(key);
            assertThat(blobs.list("models/renumbered/")).containsExactly(ObjectKeys.modelHighWater("renumbered"));
            // a new trainer process, as every job is: the number lives in the bucket, not in the process
            Blobs again = Blobs.of(new ObjectStore(new StorageSettings(s3.endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, "ich")));
            String second = new TrainingJob(named("job-n2", "renumbered"), again, events, work.resolve("b")).run().modelKey();
            assertThat(second).isEqualTo("models/renumbered/v2/");
            assertThat(Events.JSON.readTree(blobs.get(second + "model.json")).path("version").asText()).isEqualTo("v2");
        }
    }

    @Test
    void theTrainerOpensPretrainedWeightsOnlyFromTheRegistryOrThePretrainedPrefix(@TempDir Path work) throws Exception {
        Path exists = Files.writeString(work.resolve("weights.pt"), "not for the trainer");
        List<String> refused = List.of(exists.toString(), work.resolve("missing.pt").toString(), "/etc/passwd", "/etc/shadow",
                "file:" + exists, "../" + exists.getFileName(), "s3:" + ObjectKeys.job("job-a") + "spec.json", "s3:/pretrained/x.pt",
                "s3:pretrained/../jobs/job-a/spec.json", "s3:pretrained//x.pt", "model:../v1", "model:a/b/c");
        java.util.Set<String> messages = new java.util.HashSet<>();
        try (EventSink events = EventSink.console(new PrintStream(new ByteArrayOutputStream()))) {
            for (String reference : refused) {
                Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> new TrainingJob(pretrained("job-p", reference), blobs,
                        events, work.resolve("job")).run());
                assertThat(t).as(reference).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("pretrained must be");
                messages.add(t.getMessage().replace(reference, "<reference>"));
            }
            assertThat(messages).as("one message whether or not anything is at the path").hasSize(1);
            assertThat(blobs.list("jobs/job-p/")).as("refused before anything is written").isEmpty();
            // the allowed form reaches the bucket, and only the bucket
            assertThatThrownBy(() -> new TrainingJob(pretrained("job-p", "s3:pretrained/none.pt"), blobs, events, work.resolve("job")).run())
                    .hasMessageContaining("not in the bucket").hasMessageContaining("pretrained/none.pt");
        }
    }

    @Test
    void aCalibrateJobGivesTheSameWeightsANewTemperatureAndThresholdAsTheNextVersion(@TempDir Path work) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (EventSink events = EventSink.console(new PrintStream(log, true))) {
            // given a trained model and a site's own labelled dataset, from the same cleaning pipeline
            String source = new TrainingJob(named("job-c0", "site-model"), blobs, events, work.resolve("train")).run().modelKey();
            assertThat(source).isEqualTo("models/site-model/v1/");
            DatasetPublished site = PhantomDataset.build(blobs, work.resolve("site"), 4, 64, 12, 0.3, 5, Task.ANY, quiet);
            JobSpec calibrate = small("job-c1").setDataset(site.id()).optKind(JobKind.CALIBRATE).optSourceModel("model:site-model/v1")
                    .optModelName("site-model").build();

            TrainingJob.Outcome outcome = new TrainingJob(calibrate, blobs, events, work.resolve("calibrate")).run();

            assertThat(outcome.modelKey()).as("the next version of the name").isEqualTo("models/site-model/v2/");
            var before = Events.JSON.readTree(blobs.get(source + "model.json"));
            var after = Events.JSON.readTree(blobs.get(outcome.modelKey() + "model.json"));
            List<String> weights = blobs.list(source + "weights/");
            assertThat(weights).isNotEmpty();
            for (String key : weights) {
                assertThat(blobs.get(outcome.modelKey() + "weights/" + key.substring((source + "weights/").length())))
                        .as("nothing retrained: " + key).isEqualTo(blobs.get(key));
            }
            assertThat(blobs.list(outcome.modelKey() + "weights/")).hasSameSizeAs(weights);
            assertThat(after.path("weights").asText()).isEqualTo(outcome.modelKey() + "weights/");
            assertThat(after.path("calibration").path("temperature").path("any").asDouble())
                    .isNotEqualTo(before.path("calibration").path("temperature").path("any").asDouble());
            assertThat(after.path("operatingPoint").path("labels").path("any").path("threshold").asDouble())
                    .isNotEqualTo(before.path("operatingPoint").path("labels").path("any").path("threshold").asDouble());
            assertThat(after.path("architecture").asText()).isEqualTo(before.path("architecture").asText());
            assertThat(after.path("preprocessing")).isEqualTo(before.path("preprocessing"));
            // lineage: the source model and the calibration dataset with the digest of its dataset.json
            var lineage = after.path("lineage");
            assertThat(lineage.path("sourceModel").asText()).isEqualTo("model:site-model/v1");
            assertThat(lineage.path("dataset").asText()).isEqualTo(site.id());
            assertThat(lineage.path("datasetDigest").asText()).isEqualTo("sha256:" + Artefacts.sha256(
                    blobs.get(ObjectKeys.datasetJson(site.name(), site.version()))));
            assertThat(lineage.path("sourceLineage").path("job").asText()).isEqualTo("job-c0");
            // before (the source's temperature and threshold on the site's slices) and after, with intervals
            var any = after.path("recalibration").path("labels").path("any");
            assertThat(any.path("before").path("temperature").asDouble()).isEqualTo(before.path("calibration").path("temperature").path("any").asDouble());
            assertThat(any.path("before").path("threshold").asDouble())
                    .isEqualTo(before.path("operatingPoint").path("labels").path("any").path("threshold").asDouble());
            assertThat(any.path("after").path("ece").isNumber()).isTrue();
            assertThat(any.path("after").path("sensitivityCi95")).hasSize(2);
            assertThat(after.path("recalibration").path("slices").asInt()).isEqualTo(outcome.validation().uids().size()).isEqualTo(16);
            // the site's subgroups: the phantoms come from several BitsStored/PixelRepresentation groups
            var pixels = after.path("metrics").path("subgroups").path("pixels");
            int counted = 0;
            for (var group : pixels) counted += group.path("count").asInt();
            assertThat(counted).isEqualTo(16);
            String report = new String(blobs.get("jobs/job-c1/report.html"), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(report).contains("<h2>Before and after</h2>").contains("<h2>Metrics by subgroup</h2>").contains("12 bit");
        }
        assertThat(log.toString()).contains("calibrating site-model v1 on dataset " + "phantom-any-5@v1");
    }

    @Test
    void aCalibrateJobFailsClearlyOnAMissingModelOtherImagesOrAStudyHead(@TempDir Path work) throws Exception {
        try (EventSink events = EventSink.console(new PrintStream(new ByteArrayOutputStream()))) {
            JobSpec missing = small("job-c2").optKind(JobKind.CALIBRATE).optSourceModel("model:no-such-model/v3").optModelName("x").build();
            assertThatThrownBy(() -> new TrainingJob(missing, blobs, events, work.resolve("a")).run())
                    .hasMessageContaining("source model no-such-model v3 is not in the registry");
            String source = new TrainingJob(named("job-c3", "small-model"), blobs, events, work.resolve("b")).run().modelKey();
            DatasetPublished other = PhantomDataset.build(blobs, work.resolve("other"), 2, 32, 8, 0.3, 6, Task.ANY,
                    new PrintStream(new ByteArrayOutputStream()));
            JobSpec otherImages = small("job-c4").setDataset(other.id()).optKind(JobKind.CALIBRATE)
                    .optSourceModel("model:small-model/v1").optModelName("small-model").build();
            assertThatThrownBy(() -> new TrainingJob(otherImages, blobs, events, work.resolve("c")).run())
                    .hasMessageContaining("pipeline " + other.pipeline()).hasMessageContaining("calibrate on a dataset of it");
            assertThat(blobs.list("models/small-model/")).as("no version written").noneMatch(k -> k.startsWith("models/small-model/v2/"));
            assertThat(source).isEqualTo("models/small-model/v1/");
            // a model of another task, or of other images, than the dataset: refused before any weights are read
            var model = (com.fasterxml.jackson.databind.node.ObjectNode) Events.JSON.readTree(blobs.get(source + "model.json"));
            model.put("task", "multilabel").set("labels", Events.JSON.valueToTree(List.of("epidural", "intraparenchymal",
                    "intraventricular", "subarachnoid", "subdural", "any")));
            blobs.put("models/odd-model/v1/model.json", Events.JSON.writeValueAsBytes(model), "application/json");
            JobSpec otherTask = small("job-c6").optKind(JobKind.CALIBRATE).optSourceModel("model:odd-model/v1").optModelName("odd-model").build();
            assertThatThrownBy(() -> new TrainingJob(otherTask, blobs, events, work.resolve("e")).run())
                    .hasMessageContaining("(task any) labels [any]").hasMessageContaining("built for the model's task");
            model.put("task", "any").put("imageSize", 128).set("labels", Events.JSON.valueToTree(List.of("any")));
            blobs.put("models/odd-model/v2/model.json", Events.JSON.writeValueAsBytes(model), "application/json");
            JobSpec otherSize = small("job-c7").optKind(JobKind.CALIBRATE).optSourceModel("model:odd-model/v2").optModelName("odd-model").build();
            assertThatThrownBy(() -> new TrainingJob(otherSize, blobs, events, work.resolve("f")).run())
                    .hasMessageContaining("64 px images, model odd-model v2 takes").hasMessageContaining("128 px");
            JobSpec studyHead = small("job-c5").optKind(JobKind.STUDY_HEAD).optSourceModel("model:small-model/v1").build();
            assertThatThrownBy(() -> new TrainingJob(studyHead, blobs, events, work.resolve("d")).run())
                    .hasMessageContaining("study-head jobs are not implemented");
        }
    }

    private static JobSpec named(String id, String modelName) {
        return small(id).optModelName(modelName).build();
    }

    private static JobSpec pretrained(String id, String reference) {
        return small(id).optPretrained(reference).optModelName("pretrained-model").build();
    }

    /** One epoch of two batches of 8, no augmentation, a constant rate: a job that runs in seconds. */
    private static JobSpec.Builder small(String id) {
        return JobSpec.builder().setId(id).setDataset(dataset.id()).optEpochs(1).optLr(1e-3).optBatchSize(8).optAugment(false).optSeed(7L)
                .optSchedule(Schedule.CONSTANT).optWorkers(1).optMaxBatches(2);
    }

    private static TrainingEvent parse(ConsumerRecord<String, String> r) {
        try {
            return Events.JSON.readValue(r.value(), TrainingEvent.class);
        } catch (Exception e) {
            throw new AssertionError(r.value(), e);
        }
    }
}

package dev.ich.model;

import dev.ich.core.training.Schedule;
import dev.ich.core.training.Optimizer;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.ich.core.training.Architecture;
import dev.ich.core.training.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LearnerTest {
    static final ModelSpec SPEC = new ModelSpec(Architecture.RESNET18, Task.ANY, 1, 64, 0.25);

    @Test
    void givenBlobsOrNoBlobs_whenFitFromScratch_thenTheLossFallsAndValidationIsAccurate() {
        BatchSource train = Synthetic.batches(64, 8, 1, 64, 1, 11);
        BatchSource valid = Synthetic.batches(32, 16, 1, 64, 1, 12);
        List<StepProgress> steps = new ArrayList<>();
        List<EpochResult> ended = new ArrayList<>();
        FitPlan plan = new FitPlan(0, 3, 1e-2, 1e-2, Schedule.ONE_CYCLE, Optimizer.SGD, 1e-4);
        try (Learner learner = Learner.create(SPEC, 42)) {
            List<EpochResult> results = learner.fit(plan, train, valid, 0, new FitListener() {
                @Override
                public void step(StepProgress progress) {
                    steps.add(progress);
                }

                @Override
                public void epochEnded(EpochResult result, Learner l) {
                    ended.add(result);
                }
            });
            results.forEach(System.out::println);
            assertThat(results).hasSize(3).isEqualTo(ended);
            assertThat(steps).hasSize(24).allMatch(s -> s.phase().equals("unfrozen"));
            assertThat(results.get(2).trainLoss()).isLessThan(results.get(0).trainLoss());
            assertThat(results.get(2).accuracy()).isGreaterThan(0.9);
            assertThat(results.get(2).auc()).containsOnlyKeys("any");
            assertThat(results.get(2).auc().get("any")).isGreaterThan(0.95);
            assertThat(results.get(2).weightedLogLoss()).isNull();
        }
    }

    @Test
    void givenSixOutputs_whenFitWithCyclicAdamW_thenAnyIsLearntAndTheRsnaMetricIsReported() {
        BatchSource train = Synthetic.batches(64, 8, 1, 64, 6, 21);
        BatchSource valid = Synthetic.batches(32, 16, 1, 64, 6, 22);
        FitPlan plan = new FitPlan(1, 3, 1e-4, 1e-3, Schedule.ONE_CYCLE, Optimizer.ADAMW, 0.01);
        try (Learner learner = Learner.create(new ModelSpec(Architecture.RESNET18, Task.MULTILABEL, 1, 64, 0.25), 5)) {
            List<EpochResult> results = learner.fit(plan, train, valid, 0, new FitListener() {});
            results.forEach(System.out::println);
            assertThat(results).extracting(EpochResult::phase).containsExactly("frozen", "unfrozen", "unfrozen");
            EpochResult last = results.get(2);
            assertThat(last.trainLoss()).isLessThan(results.get(0).trainLoss());
            assertThat(last.auc()).containsOnlyKeys("epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural", "any");
            assertThat(last.auc().get("subdural")).as("no positives in the split").isNaN();
            assertThat(last.auc().get("any")).isGreaterThan(0.8);
            assertThat(last.weightedLogLoss()).isNotNull().isFinite();
        }
    }

    @Test
    void theSameSeedGivesTheSameInitialNetwork() {
        BatchSource data = Synthetic.batches(8, 8, 1, 64, 1, 1);
        try (Learner a = Learner.create(SPEC, 17); Learner b = Learner.create(SPEC, 17); Learner c = Learner.create(SPEC, 18)) {
            assertThat(a.predict(data).probabilities()).isEqualTo(b.predict(data).probabilities())
                    .isNotEqualTo(c.predict(data).probabilities());
        }
    }

    @Test
    void givenAFrozenEpoch_thenBackboneConvolutionsStayWhileBatchNormAndHeadTrain() {
        BatchSource data = Synthetic.batches(16, 8, 1, 64, 1, 3);
        FitPlan plan = new FitPlan(1, 1, 1e-3, 1e-3, Schedule.CONSTANT, Optimizer.ADAMW, 0.01);
        try (Learner learner = Learner.create(SPEC, 7)) {
            Block stage2 = learner.network().groups().get(1);
            Parameter conv = first(stage2, Parameter.Type.WEIGHT);
            Parameter gamma = first(stage2, Parameter.Type.GAMMA);
            Parameter beta = first(stage2, Parameter.Type.BETA);
            Parameter runningMean = first(stage2, Parameter.Type.RUNNING_MEAN);
            Parameter head = first(learner.network().head(), Parameter.Type.WEIGHT);
            Map<Parameter, float[]> before = values(List.of(conv, gamma, beta, runningMean, head));

            List<EpochResult> results = learner.fit(plan, data, data, 0, new FitListener() {});

            assertThat(results).singleElement().extracting(EpochResult::phase).isEqualTo("frozen");
            assertThat(conv.getArray().toFloatArray()).isEqualTo(before.get(conv));
            assertThat(gamma.getArray().toFloatArray()).isNotEqualTo(before.get(gamma));
            assertThat(beta.getArray().toFloatArray()).isNotEqualTo(before.get(beta));
            assertThat(runningMean.getArray().toFloatArray()).isNotEqualTo(before.get(runningMean));
            assertThat(head.getArray().toFloatArray()).isNotEqualTo(before.get(head));
        }
    }

    @Test
    void theLrFinderSweepsUpwardsStopsOnExplosionAndLeavesTheWeightsAlone() {
        BatchSource data = Synthetic.batches(16, 8, 1, 64, 1, 5);
        try (Learner learner = Learner.create(SPEC, 9)) {
            Map<Parameter, float[]> before = values(learner.network().block().getParameters().values());
            Predictions predictedBefore = learner.predict(data);
            LrFinderResult sweep = learner.findLearningRate(data, 1e-4, 1000, 25, new FitListener() {});

            assertThat(sweep.rates()).isSortedAccordingTo(Double::compare).doesNotHaveDuplicates();
            assertThat(sweep.rates().get(0)).isCloseTo(1e-4, within(1e-12));
            assertThat(sweep.stoppedEarly()).isTrue();
            assertThat(sweep.rates()).hasSizeLessThan(25);
            assertThat(sweep.losses()).hasSameSizeAs(sweep.rates()).hasSameSizeAs(sweep.smoothed());
            assertThat(sweep.steepest()).isBetween(sweep.rates().get(0), sweep.rates().get(sweep.rates().size() - 1));
            assertThat(sweep.minimumOverTen()).isBetween(sweep.rates().get(0) / 10, sweep.rates().get(sweep.rates().size() - 1));
            before.forEach((p, v) -> assertThat(p.getArray().toFloatArray()).as(p.getName()).isEqualTo(v));
            assertThat(learner.predict(data).probabilities()).isEqualTo(predictedBefore.probabilities());
        }
    }

    @Test
    void givenACheckpoint_whenLoaded_thenPredictionsAreIdenticalAndTrainingContinues(@TempDir Path dir) throws Exception {
        BatchSource data = Synthetic.batches(16, 8, 1, 64, 1, 4);
        FitPlan plan = new FitPlan(1, 2, 1e-4, 1e-3, Schedule.ONE_CYCLE, Optimizer.SGD, 1e-4);
        Predictions saved;
        try (Learner learner = Learner.create(SPEC, 3)) {
            // the trainer's way: a checkpoint from the epoch-end hook
            learner.fit(new FitPlan(1, 1, 1e-4, 1e-3, Schedule.ONE_CYCLE, Optimizer.SGD, 1e-4), data, data, 0,
                    new FitListener() {
                        @Override
                        public void epochEnded(EpochResult result, Learner l) {
                            try {
                                l.save(dir);
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    });
            assertThat(dir.resolve("model.json")).exists();
            assertThat(dir.resolve("parameters.params")).exists();
            saved = learner.predict(data);
        }
        try (Learner loaded = Learner.load(dir)) {
            assertThat(loaded.spec()).isEqualTo(SPEC);
            Predictions again = loaded.predict(data);
            assertThat(again.probabilities()).isEqualTo(saved.probabilities());
            assertThat(again.uids()).isEqualTo(saved.uids());
            List<EpochResult> resumed = loaded.fit(plan, data, data, 1, new FitListener() {});
            assertThat(resumed).singleElement().satisfies(r -> {
                assertThat(r.epoch()).isEqualTo(1);
                assertThat(r.phase()).isEqualTo("unfrozen");
                assertThat(r.trainLoss()).isFinite();
            });
        }
    }

    static Parameter first(Block block, Parameter.Type type) {
        return block.getParameters().values().stream().filter(p -> p.getType() == type).findFirst().orElseThrow();
    }

    static Map<Parameter, float[]> values(Iterable<Parameter> parameters) {
        Map<Parameter, float[]> values = new LinkedHashMap<>();
        for (Parameter p : parameters) values.put(p, p.getArray().toFloatArray());
        return values;
    }
}

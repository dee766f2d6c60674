package dev.ich.cleaning;

import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.contract.Topics;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A figure, not a gate (the machine is shared): end-to-end slices/s through Kafka, S3 and the service,
 * beside the core transform alone on the same slices and pipeline, one thread per core. Printed to the
 * surefire report (target/surefire-reports/dev.ich.cleaning.ThroughputTest-output.txt).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class ThroughputTest {
    @Inject
    Pipelines pipelines;

    @Inject
    CleaningConfig config;

    @Inject
    MeterRegistry registry;

    @Test
    void endToEndThroughputBesideTheCoreAlone() throws Exception {
        PhantomSet set = PhantomUploads.generate(2, 32, 95, false);
        List<SliceTruth> slices = set.slices();
        List<DicomIngested> events = new ArrayList<>();
        for (SliceTruth t : slices) events.add(PhantomUploads.upload(S3TestResource.store(), t));
        double core = coreSlicesPerSecond(slices, pipelines.current(), Runtime.getRuntime().availableProcessors());

        Set<String> sops = slices.stream().map(SliceTruth::sopInstanceUid).collect(Collectors.toSet());
        try (TopicTap cleaned = new TopicTap(Topics.SLICES_CLEANED)) {
            long t0 = System.nanoTime();
            for (DicomIngested e : events) TopicTap.send(Topics.DICOM_INGESTED, e, e.sopInstanceUid());
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(100))
                    .until(() -> cleaned.records().stream().map(r -> r.key()).collect(Collectors.toSet()).containsAll(sops));
            double service = slices.size() / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("THROUGHPUT slices=%d workers=%d size=%d service=%.1f slices/s core=%.1f slices/s ratio=%.2f%n",
                    slices.size(), config.workers(), pipelines.current().config().size(), service, core, service / core);
            for (Timer t : registry.find(CleaningMetrics.STAGE).timers()) {
                System.out.printf("STAGE %-10s count=%d mean=%.1f ms%n", t.getId().getTag("stage"), t.count(),
                        t.mean(java.util.concurrent.TimeUnit.MILLISECONDS));
            }
            assertThat(service).isGreaterThan(0);
        }
    }

    /** The core's read + clean on files already in memory. */
    static double coreSlicesPerSecond(List<SliceTruth> slices, CleaningPipeline pipeline, int threads) throws Exception {
        DicomReader reader = DicomReader.create();
        List<byte[]> files = new ArrayList<>();
        for (SliceTruth t : slices) files.add(Files.readAllBytes(t.file()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                byte[] f = files.get(i);
                String name = "slice-" + i;
                all.add(pool.submit(() -> {
                    try {
                        return pipeline.clean(reader.read(f, name));
                    } catch (DicomReadException e) {
                        return null;
                    }
                }));
            }
            for (Future<?> f : all) f.get();
            return files.size() / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
        }
    }
}

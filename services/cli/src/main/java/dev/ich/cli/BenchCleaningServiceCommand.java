package dev.ich.cli;

import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.clean.PipelineConfig;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.Events;
import dev.ich.core.event.IngestSource;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * `ich bench cleaning`: end-to-end slices/s of the running cleaning service (event in, PNG stored, row
 * out), beside the core transform alone on the same slices and cores, and the service's share of time
 * per stage (from its /q/metrics). The raw objects are put straight into storage, so ingest is not measured.
 */
@Command(name = "cleaning", description = "Slices/s through the running cleaning service, beside the core transform alone.")
final class BenchCleaningServiceCommand implements Callable<Integer> {
    @Option(names = "--studies", defaultValue = "4", description = "Phantom studies of 32 slices to push (default: ${DEFAULT-VALUE}).")
    int studies;

    @Option(names = "--timeout", defaultValue = "PT10M", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        LocalStack stack = new LocalStack(StackLayout.fromSystem(), System.err);
        Map<String, String> env = stack.readStackEnv();
        if (!env.containsKey("CLEANING_URL")) {
            System.err.println("bench cleaning: the local stack with cleaning is not running; start it with ./ich up");
            return 2;
        }
        Path work = Files.createTempDirectory("ich-bench-cleaning");
        List<SliceTruth> slices = new PhantomGenerator(PhantomOptions.of(studies, System.nanoTime())).generate(work).slices();
        ObjectStore store = new ObjectStore(new StorageSettings(env.get("S3_ENDPOINT"), env.get("S3_ACCESS_KEY"),
                env.get("S3_SECRET_KEY"), env.get("S3_BUCKET")));
        List<byte[]> files = slices.stream().map(t -> read(t.file())).toList();
        for (int i = 0; i < slices.size(); i++) store.put(rawKey(slices.get(i)), files.get(i), "application/dicom", Map.of());

        int cores = Runtime.getRuntime().availableProcessors();
        double core = coreSlicesPerSecond(files, cores);
        StageShares before = StageShares.scrape(env.get("CLEANING_MANAGEMENT_URL"));
        ComponentCpu cpu = ComponentCpu.start(stack);
        Double service = throughServiceSlicesPerSecond(env.get("KAFKA_BOOTSTRAP"), slices, files);
        String cpuSpent = cpu.since();
        if (service == null) {
            System.err.println("bench cleaning: not every slice came back on slices-cleaned within " + timeout);
            return 1;
        }
        StageShares stages = StageShares.scrape(env.get("CLEANING_MANAGEMENT_URL")).minus(before);
        System.out.printf("slices: %d  cores: %d%n", slices.size(), cores);
        System.out.printf("core transform alone: %7.1f slices/s%n", core);
        System.out.printf("cleaning service:     %7.1f slices/s  (%.0f %% of the core alone)%n", service, 100 * service / core);
        System.out.println("service time per stage: " + stages);
        System.out.println("CPU during the service run: " + cpuSpent);
        return 0;
    }

    private Double throughServiceSlicesPerSecond(String bootstrap, List<SliceTruth> slices, List<byte[]> files) throws Exception {
        Map<String, Object> common = Map.of("bootstrap.servers", bootstrap);
        try (KafkaConsumer<String, String> rows = new KafkaConsumer<>(common, new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> events = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
            List<TopicPartition> partitions = rows.partitionsFor(Topics.SLICES_CLEANED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            rows.assign(partitions);
            rows.seekToEnd(partitions);
            partitions.forEach(rows::position); // resolve the end now, before the first event goes out
            Set<String> waiting = new HashSet<>(slices.stream().map(SliceTruth::sopInstanceUid).toList());
            long start = System.nanoTime();
            for (int i = 0; i < slices.size(); i++) {
                SliceTruth t = slices.get(i);
                DicomIngested e = new DicomIngested(t.sopInstanceUid(), t.studyInstanceUid(), t.seriesInstanceUid(), t.patientId(),
                        rawKey(t), "", files.get(i).length, "1.2.840.10008.1.2.1", IngestSource.IMPORT, Instant.now());
                events.send(new ProducerRecord<>(Topics.DICOM_INGESTED, t.sopInstanceUid(), Events.JSON.writeValueAsString(e)));
            }
            events.flush();
            long deadline = start + timeout.toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                rows.poll(Duration.ofMillis(100)).forEach(r -> waiting.remove(r.key()));
            }
            return waiting.isEmpty() ? slices.size() / ((System.nanoTime() - start) / 1e9) : null;
        }
    }

    /** The service's default pipeline on the same bytes, as many threads as cores. */
    private static double coreSlicesPerSecond(List<byte[]> files, int threads) {
        CleaningPipeline pipeline = new CleaningPipeline(PipelineConfig.defaults());
        DicomReader reader = DicomReader.create();
        long start = System.nanoTime();
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                pipeline.clean(reader.read(files.get(i), "bench-" + i));
            } catch (Exception unreadable) {
                // the bench set has no broken files; a failure would only shorten the core's work
            }
        });
        return files.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static String rawKey(SliceTruth t) {
        return ObjectKeys.raw(t.studyInstanceUid(), t.seriesInstanceUid(), t.sopInstanceUid());
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

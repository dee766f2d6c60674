package dev.ich.e2e;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a local stack holds, read from outside as an auditor would: the bucket's files on disk (the embedded S3 keeps
 * each object as a file under data/s3/&lt;bucket&gt;/), the sender's journal, and the dicom-ingested topic.
 */
final class StackState {
    private final LocalStackRun stack;

    StackState(LocalStackRun stack) {
        this.stack = stack;
    }

    /** SOP Instance UIDs stored under raw/ (raw/&lt;study&gt;/&lt;series&gt;/&lt;sop&gt;.dcm). */
    Set<String> rawSops() {
        return files("raw", ".dcm");
    }

    /** Cleaned PNGs of every pipeline version (clean/&lt;version&gt;/&lt;sop&gt;.png). */
    int pngs() {
        return files("clean", ".png").size();
    }

    /** The instances a sender was told are stored: the journal ./ich send keeps under the state directory. */
    Set<String> journalled() {
        Path dir = stack.state().resolve("send");
        Set<String> sops = new TreeSet<>();
        if (!Files.isDirectory(dir)) return sops;
        try (Stream<Path> journals = Files.list(dir)) {
            for (Path j : journals.filter(f -> f.toString().endsWith(".journal")).toList()) {
                for (String line : Files.readAllLines(j)) {
                    String path = line.split("\t", 2)[0];
                    if (path.endsWith(".dcm")) sops.add(baseName(Path.of(path), ".dcm"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sops;
    }

    /** The SOP Instance UIDs of a phantom folder (the generator names each file after its SOP Instance UID). */
    Set<String> sopsOf(Path phantoms) {
        try (Stream<Path> files = Files.walk(phantoms)) {
            return files.filter(f -> f.toString().endsWith(".dcm")).map(f -> baseName(f, ".dcm")).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each dicom-ingested record's key (SOP Instance UID) and CloudEvents id. */
    record Events(Map<String, Set<String>> idsByKey, int records) {
        Set<String> keys() {
            return idsByKey.keySet();
        }

        Map<String, Set<String>> keysWithSeveralIds() {
            Map<String, Set<String>> several = new TreeMap<>();
            idsByKey.forEach((k, ids) -> {
                if (ids.size() > 1) several.put(k, ids);
            });
            return several;
        }
    }

    /** Reads the whole dicom-ingested topic from the beginning, without a consumer group (nothing is committed). */
    Events ingestedEvents() throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", stack.endpoints().get("KAFKA_BOOTSTRAP"));
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        Map<String, Set<String>> ids = new HashMap<>();
        int records = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor("dicom-ingested").stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    Header id = r.headers().lastHeader("ce_id");
                    ids.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(id == null ? "(none)" : new String(id.value(), StandardCharsets.UTF_8));
                    records++;
                }
            }
        }
        return new Events(ids, records);
    }

    /** Counts for a failure message, and which components run. */
    String describe() {
        StringBuilder s = new StringBuilder("raw ").append(rawSops().size()).append(", PNGs ").append(pngs()).append("; running: ");
        for (String c : List.of("s3", "kafka", "oidc", "ingest", "cleaning", "labeling", "training", "inference")) {
            s.append(c).append(stack.process(c).isPresent() ? "+ " : "- ");
        }
        return s.toString();
    }

    private Set<String> files(String prefix, String suffix) {
        try {
            String bucket = stack.endpoints().getOrDefault("S3_BUCKET", "ich");
            Path root = stack.state().resolve("data").resolve("s3").resolve(bucket).resolve(prefix);
            if (!Files.isDirectory(root)) return Set.of();
            try (Stream<Path> files = Files.walk(root)) {
                // S3Proxy writes a new object under a temporary name beside it first: count finished objects only
                return files.filter(f -> f.getFileName().toString().endsWith(suffix)).map(f -> baseName(f, suffix))
                        .collect(Collectors.toCollection(TreeSet::new));
            }
        } catch (NoSuchFileException racedWithADelete) {
            return files(prefix, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String baseName(Path f, String suffix) {
        String name = f.getFileName().toString();
        return name.substring(0, name.length() - suffix.length());
    }
}

package dev.ich.testkit;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The broker and bucket that a test's packaged services ({@link ServiceProcess}) run on and that outlive them, as a
 * site's Kafka and object storage outlive a restarted pod: an {@link EmbeddedKafka} with every ich topic (two
 * partitions each, so a resume must get each partition's offset right; slices-cleaned compacted) and an
 * {@link EmbeddedS3} with the ich bucket, both in one new temporary work folder that the test's logs share.
 */
public final class EmbeddedBackends implements AutoCloseable {
    private final Path work;
    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final StorageSettings storage;
    private final ObjectStore store;

    private EmbeddedBackends(Path work, EmbeddedKafka kafka, EmbeddedS3 s3) {
        this.work = work;
        this.kafka = kafka;
        this.s3 = s3;
        this.storage = new StorageSettings(s3.endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, ObjectKeys.DEFAULT_BUCKET);
        this.store = new ObjectStore(storage);
    }

    /** Starts both in a new temporary folder named after {@code prefix}. */
    public static EmbeddedBackends start(String prefix) throws Exception {
        Path work = Files.createTempDirectory(prefix);
        EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, false);
        EmbeddedS3 s3;
        try {
            kafka.createTopics(List.of(Topics.all()), Set.of(Topics.SLICES_CLEANED), 2);
            s3 = EmbeddedS3.start(work.resolve("s3"), 0);
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
        EmbeddedBackends backends = new EmbeddedBackends(work, kafka, s3);
        try {
            backends.store.ensureBucket();
        } catch (RuntimeException e) {
            backends.close();
            throw e;
        }
        return backends;
    }

    /** The temporary folder of this test: logs, volumes and the services' work folders go here. */
    public Path work() {
        return work;
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    /** Where the bucket is, as a service's ICH_STORAGE_* settings say it. */
    public StorageSettings storage() {
        return storage;
    }

    /** A client of the bucket, for what the test puts there or reads back. */
    public ObjectStore store() {
        return store;
    }

    @Override
    public void close() throws Exception {
        try {
            s3.close();
        } finally {
            kafka.close();
        }
    }
}

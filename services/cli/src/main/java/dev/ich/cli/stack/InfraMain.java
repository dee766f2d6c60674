package dev.ich.cli.stack;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.testkit.EmbeddedKafka;
import dev.ich.testkit.EmbeddedOidc;
import dev.ich.testkit.EmbeddedS3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's infrastructure process: the embedded Kafka broker, S3 endpoint and OIDC provider (the
 * stack's token issuer, with the local clients and roles of testkit's local-oidc.json), with the bucket and
 * every topic created, kept running until the process is told to stop (./ich down). Its readiness file
 * tells the launcher the endpoints once all serve.
 */
public final class InfraMain {
    private InfraMain() {
    }

    /** Arguments: home, Kafka port, S3 port, the state directory, and the OIDC port. */
    public static void main(String[] args) throws Exception {
        StackLayout layout = new StackLayout(Path.of(args[0]), Path.of(args[3]));
        int kafkaPort = Integer.parseInt(args[1]);
        int s3Port = Integer.parseInt(args[2]);
        int oidcPort = Integer.parseInt(args[4]);
        Files.deleteIfExists(layout.infraReady());

        EmbeddedS3 s3 = EmbeddedS3.start(layout.data().resolve("s3"), s3Port);
        System.out.println("S3 endpoint " + s3.endpoint() + ", objects under " + s3.dataDir());
        ObjectStore store = new ObjectStore(new StorageSettings(s3.endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY,
                ObjectKeys.DEFAULT_BUCKET));
        store.ensureBucket();

        EmbeddedKafka kafka = EmbeddedKafka.start(layout.data().resolve("kafka"), kafkaPort, true);
        kafka.createTopics(List.of(Topics.all()), Set.of(Topics.SLICES_CLEANED), 2);
        System.out.println("Kafka broker " + kafka.bootstrapServers() + ", topics " + String.join(", ", Topics.all()));

        EmbeddedOidc oidc = EmbeddedOidc.start(oidcPort);
        System.out.println("OIDC issuer " + oidc.issuerUrl() + " (local clients and roles: " + EmbeddedOidc.CONFIG + "; loopback only)");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping Kafka, S3 and the OIDC provider");
            oidc.close();
            kafka.close();
            try {
                s3.close();
            } catch (Exception e) {
                System.out.println("S3 did not stop cleanly: " + e);
            }
            stopped.countDown();
        }, "infra-stop"));

        Files.writeString(layout.infraReady(), "KAFKA_BOOTSTRAP=" + kafka.bootstrapServers() + "\nS3_ENDPOINT=" + s3.endpoint()
                + "\nOIDC_ISSUER=" + oidc.issuerUrl() + "\n");
        System.out.println("infrastructure ready");
        stopped.await();
    }
}

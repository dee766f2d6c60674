package dev.ich.cli.stack;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.testkit.EmbeddedKafka;
import dev.ich.testkit.EmbeddedOidc;
import dev.ich.testkit.EmbeddedS3;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * One infrastructure component of the local stack in its own process, so each can die and come back alone: the
 * embedded S3 endpoint (with the bucket), Kafka broker (with every topic) or OIDC provider (the stack's token issuer,
 * with the local clients and roles of testkit's local-oidc.json, signing with a key kept under data/oidc). Each keeps
 * its data under the stack's data directory across restarts, and writes its ready file once it serves.
 */
public final class InfraMain {
    public static final List<String> COMPONENTS = List.of("s3", "kafka", "oidc");

    private InfraMain() {
    }

    /** Arguments: the component, the state directory, its port, the address to bind. */
    public static void main(String[] args) throws Exception {
        String component = args[0];
        Path root = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        String listen = args[3];
        StackLayout layout = new StackLayout(root, root);
        AutoCloseable running = switch (component) {
            case "s3" -> s3(layout, listen, port);
            case "kafka" -> kafka(layout, listen, port);
            case "oidc" -> oidc(layout, listen, port);
            default -> throw new IllegalArgumentException("unknown component " + component + "; one of " + COMPONENTS);
        };
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping " + component);
            try {
                running.close();
            } catch (Exception e) {
                System.out.println(component + " did not stop cleanly: " + e);
            }
            stopped.countDown();
        }, component + "-stop"));
        Files.writeString(layout.ready(component), ProcessHandle.current().pid() + "\n");
        System.out.println(component + " ready");
        stopped.await();
    }

    private static AutoCloseable s3(StackLayout layout, String listen, int port) throws Exception {
        EmbeddedS3 s3 = EmbeddedS3.start(layout.data().resolve("s3"), listen, port);
        System.out.println("S3 endpoint " + s3.endpoint() + " (bound to " + listen + "), objects under " + s3.dataDir());
        new ObjectStore(new StorageSettings(s3.endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, ObjectKeys.DEFAULT_BUCKET))
                .ensureBucket();
        return s3;
    }

    private static AutoCloseable kafka(StackLayout layout, String listen, int port) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(layout.data().resolve("kafka"), listen, port, true);
        kafka.createTopics(List.of(Topics.all()), Set.of(Topics.SLICES_CLEANED), 2);
        System.out.println("Kafka broker " + kafka.bootstrapServers() + " (bound to " + listen + "), topics " + String.join(", ", Topics.all()));
        return kafka;
    }

    private static AutoCloseable oidc(StackLayout layout, String listen, int port) throws Exception {
        EmbeddedOidc oidc = EmbeddedOidc.start(InetAddress.getByName(listen), port, layout.oidcSigningKey());
        System.out.println("OIDC provider on " + listen + ":" + port + ", issuer " + EmbeddedOidc.ISSUER_ID + " (local clients and roles: "
                + EmbeddedOidc.CONFIG + "; signing key " + layout.oidcSigningKey() + ")");
        return oidc;
    }
}

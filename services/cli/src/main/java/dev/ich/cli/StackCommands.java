package dev.ich.cli;

import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.cli.stack.StackPorts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** `ich up`, `ich down`, `ich status`: the local stack on embedded Kafka and S3. */
final class StackCommands {
    private StackCommands() {
    }

    @Command(name = "up", description = {"Start the local stack: embedded Kafka and S3 (data under .ich/), the bucket and"
            + " topics, then every built service as a child process (logs in .ich/logs/); wait until each is ready;"
            + " write .ich/stack.env and print the endpoints."})
    static final class Up implements Callable<Integer> {
        @Mixin
        StackPorts ports;

        @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for each component (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--image-size", paramLabel = "PX", description = "Side of the cleaned PNGs cleaning writes (default: cleaning's own,"
                + " 256, the seed's; 128 trains about 4x faster on a CPU, which is what ./ich demo starts the stack with).")
        Integer imageSize;

        @Override
        public Integer call() throws Exception {
            Map<String, String> settings = imageSize == null ? Map.of() : Map.of("ICH_CLEANING_PIPELINE_SIZE", imageSize.toString());
            return new LocalStack(StackLayout.fromSystem(), System.out).up(ports, Duration.ofSeconds(timeoutSeconds), settings);
        }
    }

    @Command(name = "down", description = "Stop everything ./ich up started (data under .ich/data stays).")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return new LocalStack(StackLayout.fromSystem(), System.out).down();
        }
    }

    @Command(name = "status", description = "Show the local stack's components, endpoints, health and logs.")
    static final class Status implements Callable<Integer> {
        @Mixin
        StackPorts ports;

        @Override
        public Integer call() throws Exception {
            return new LocalStack(StackLayout.fromSystem(), System.out).status(ports);
        }
    }
}

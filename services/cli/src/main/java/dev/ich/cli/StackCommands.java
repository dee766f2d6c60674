package dev.ich.cli;

import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.cli.stack.StackPorts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `ich up`, `ich down`, `ich status`: the local stack on embedded Kafka and S3. */
final class StackCommands {
    private StackCommands() {
    }

    @Command(name = "up", description = {"Start the local stack: embedded S3, Kafka and the OIDC provider, each its own process"
            + " (data under .ich/), the bucket and topics, Orthanc when installed, then every built service as a child process"
            + " (logs in .ich/logs/); wait until each is ready; write .ich/stack.env and print the endpoints. On a running stack,"
            + " starts only what is stopped or not answering and leaves the rest alone. Everything listens on 127.0.0.1 unless"
            + " --listen says otherwise; run as root, the processes run as the system user ich."})
    static final class Up implements Callable<Integer> {
        @Mixin
        StackPorts ports;

        @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for each component (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--image-size", paramLabel = "PX", description = "Side of the cleaned PNGs cleaning writes (default: cleaning's own,"
                + " 256, the notebooks'; 128 trains about 4x faster on a CPU, which is what ./ich demo starts the stack with).")
        Integer imageSize;

        @Option(names = "--listen", paramLabel = "ADDR", defaultValue = StackPorts.LOOPBACK, description = "Address every component"
                + " listens on (default: ${DEFAULT-VALUE}, this machine only). Another address, or 0.0.0.0 for every interface, exposes"
                + " the stack's APIs, DICOM port, Kafka, S3 and the OIDC provider (which gives anyone any role) to that network.")
        void listen(String address) {
            ports.listen = address;
        }

        @Option(names = "--images", description = "Run the components from the container images ./ich images built (podman; the"
                + " services with the chart's security settings) instead of as processes of this checkout's jars; Orthanc stays a"
                + " Debian program.")
        boolean images;

        @Parameters(arity = "0..*", paramLabel = "COMPONENT", description = "Only these components (s3, kafka, oidc, orthanc, ingest,"
                + " cleaning, labeling, training, inference), e.g. to bring back one that died; default: all.")
        List<String> only = List.of();

        @Override
        public Integer call() throws Exception {
            Map<String, String> settings = imageSize == null ? Map.of() : Map.of("ICH_CLEANING_PIPELINE_SIZE", imageSize.toString());
            LocalStack stack = new LocalStack(StackLayout.fromSystem(), System.out);
            return (images ? stack.fromImages() : stack).up(ports, Duration.ofSeconds(timeoutSeconds), settings, only);
        }
    }

    @Command(name = "down", description = "Stop everything ./ich up started (data under .ich/data stays).")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return new LocalStack(StackLayout.fromSystem(), System.out).down();
        }
    }

    @Command(name = "status", description = "Show the local stack's components, their state, pid, endpoint and log. Exit status 0"
            + " when all run, 1 when some are stopped, 3 when none runs.")
    static final class Status implements Callable<Integer> {
        @Mixin
        StackPorts ports;

        @Override
        public Integer call() throws Exception {
            return new LocalStack(StackLayout.fromSystem(), System.out).status(ports);
        }
    }
}

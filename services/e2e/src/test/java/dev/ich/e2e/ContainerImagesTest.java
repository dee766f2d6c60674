package dev.ich.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every image is built from the repository's Dockerfiles (`./ich images`, containers/images.sh) and then proven: its
 * configuration as a registry shows it (skopeo: uid 10001, ports, entrypoint, OCI labels), and the whole local stack
 * started from the images (`./ich up --images`: the infrastructure image, every service with the chart's container
 * security settings) answering liveness, readiness and one real request per service. The images are then what CI
 * proves on every change, not Dockerfiles on paper.
 */
class ContainerImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path HOME = LocalStackRun.HOME;
    private static final List<String> SERVICES = List.of("ingest", "cleaning", "labeling", "training", "inference");
    private static final List<String> IMAGES = List.of("ingest", "cleaning", "labeling", "training", "inference", "trainer", "infra");

    @Test
    void everyImageIsBuiltLabelledAndTheStackRunsFromThem(@TempDir Path state) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/podman")),
                "podman is not installed: the image tests cannot run here (./ich test installs it from Debian as root)");
        Path built = state.resolve("images-output.txt");
        int status = run(built, 20, HOME.resolve("containers/images.sh").toString());
        assertThat(status).as("containers/images.sh printed:%n%s", Files.readString(built)).isZero();

        String version = ContainerImagesVersion.of(HOME);
        String revision = git("rev-parse", "HEAD");
        for (String image : IMAGES) {
            JsonNode config = inspect("localhost/ich-" + image + ":" + version).path("config");
            assertThat(config.path("User").asText()).as(image + ": runs as the chart's uid, never root").isEqualTo("10001:10001");
            assertThat(config.path("Entrypoint").isArray() && config.path("Entrypoint").size() > 0).as(image + " entrypoint").isTrue();
            JsonNode labels = config.path("Labels");
            assertThat(labels.path("org.opencontainers.image.version").asText()).as(image).isEqualTo(version);
            assertThat(labels.path("org.opencontainers.image.title").asText()).as(image).isEqualTo("ich-" + image);
            if (revision != null) assertThat(labels.path("org.opencontainers.image.revision").asText()).as(image).isEqualTo(revision);
            assertThat(labels.has("org.opencontainers.image.licenses")).as(image).isTrue();
            if (SERVICES.contains(image)) {
                assertThat(config.path("ExposedPorts").has("8080/tcp")).as(image + " exposes its API port").isTrue();
            }
        }
        assertThat(inspect("localhost/ich-ingest:" + version).path("config").path("ExposedPorts").has("11112/tcp"))
                .as("ingest exposes the DICOM port").isTrue();

        LocalStackRun stack = new LocalStackRun(state);
        Path up = state.resolve("up-output.txt");
        try {
            int upStatus = stack.ich(up, 10, "up", "--images", "--timeout", "240", "s3", "kafka", "oidc",
                    "ingest", "cleaning", "labeling", "training", "inference");
            assertThat(upStatus).as("./ich up --images printed:%n%s", Files.readString(up)).isZero();
            assertThat(Files.readString(up)).contains("from localhost/ich-ingest:" + version).contains("from localhost/ich-infra:" + version);
            Map<String, String> at = stack.endpoints();
            for (String s : SERVICES) {
                String management = at.get(s.toUpperCase() + "_MANAGEMENT_URL");
                assertThat(get(management + "/q/health/live", null).statusCode()).as(s + " liveness").isEqualTo(200);
                int ready = get(management + "/q/health/ready", null).statusCode();
                // inference is not ready until a model is promoted (docs/inference.md); every other service is
                assertThat(ready).as(s + " readiness").isEqualTo(s.equals("inference") ? 503 : 200);
            }
            oneRealRequestEach(stack, at, state);
        } finally {
            stack.ich(state.resolve("down-output.txt"), 3, "down");
        }
    }

    private static void oneRealRequestEach(LocalStackRun stack, Map<String, String> at, Path state) throws Exception {
        Path phantoms = state.resolve("phantoms");
        stack.run("phantoms", "--out", phantoms.toString(), "--studies", "1", "--seed", "77");
        Path slice;
        try (Stream<Path> files = Files.walk(phantoms)) {
            slice = files.filter(f -> f.toString().endsWith(".dcm")).sorted().findFirst().orElseThrow();
        }
        HttpResponse<String> stored = send(HttpRequest.newBuilder(URI.create(at.get("INGEST_URL") + "/instances"))
                .header("Content-Type", "application/dicom").POST(HttpRequest.BodyPublishers.ofFile(slice)), stack.token("ich-uploader"));
        assertThat(stored.statusCode()).as("ingest stores a slice: %s", stored.body()).isEqualTo(200);

        HttpResponse<String> reprocess = send(HttpRequest.newBuilder(URI.create(at.get("CLEANING_URL") + "/reprocess"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")), stack.token("ich-curator"));
        assertThat(reprocess.statusCode()).as("cleaning starts a reprocess run: %s", reprocess.body()).isEqualTo(202);

        HttpResponse<String> labels = send(HttpRequest.newBuilder(URI.create(at.get("LABELING_URL") + "/labels"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(phantoms.resolve("labels.csv"))),
                stack.token("ich-curator"));
        assertThat(labels.statusCode()).as("labeling takes a label upload: %s", labels.body()).isEqualTo(201);

        HttpResponse<String> job = send(HttpRequest.newBuilder(URI.create(at.get("TRAINING_URL") + "/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"kind\": \"train\"}")),
                stack.token("ich-trainer"));
        assertThat(job.statusCode()).as("training refuses a spec without a dataset: %s", job.body()).isEqualTo(422);
        assertThat(job.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(job.body()).path("field").asText()).isEqualTo("dataset");

        HttpResponse<String> predict = send(HttpRequest.newBuilder(URI.create(at.get("INFERENCE_URL") + "/predict"))
                .header("Content-Type", "application/dicom").POST(HttpRequest.BodyPublishers.ofFile(slice)), stack.token("ich-clinician"));
        assertThat(predict.statusCode()).as("inference has no model to predict with yet: %s", predict.body()).isEqualTo(503);
        assertThat(JSON.readTree(predict.body()).path("detail").asText()).isNotBlank();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) r.header("Authorization", "Bearer " + token);
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** skopeo's view of an image in the engine storage containers/images.sh built it into. */
    private static JsonNode inspect(String tag) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("skopeo", "inspect", "--config", "containers-storage:" + tag).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_STORAGE_CONF", HOME.resolve(".ich/containers/storage.conf").toString());
        pb.environment().put("CONTAINERS_CONF", HOME.resolve(".ich/containers/containers.conf").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("skopeo inspect %s: %s", tag, out).isTrue();
        return JSON.readTree(out);
    }

    private static int run(Path output, int minutes, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).redirectOutput(output.toFile())
                .directory(HOME.toFile()).start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not end within " + minutes + " min:\n" + Files.readString(output));
        }
        return p.exitValue();
    }

    private static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", HOME.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    }

    /** The version images are tagged with: the project's, from the root pom (as containers/engine.sh reads it). */
    static final class ContainerImagesVersion {
        static String of(Path home) throws IOException {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(home.resolve("pom.xml")));
            if (!m.find()) throw new IOException("no <version> in " + home.resolve("pom.xml"));
            return m.group(1);
        }
    }
}

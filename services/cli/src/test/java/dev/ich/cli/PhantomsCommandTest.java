package dev.ich.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A user runs `ich phantoms` exactly as the ./ich script would, through IchCommand's command tree. */
class PhantomsCommandTest {
    private final StringWriter out = new StringWriter(), err = new StringWriter();

    private int ich(String... args) {
        CommandLine cli = IchCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void writesStudiesAndLabelsAndSaysWhereTheyAre(@TempDir Path dir) throws Exception {
        int exit = ich("phantoms", "--out", dir.toString(), "--studies", "2", "--seed", "3", "--slices-per-study", "5",
                "--short-pixel-data");

        assertThat(exit).as(err.toString()).isZero();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".dcm"))).hasSize(10);
        }
        List<String> labels = Files.readAllLines(dir.resolve("labels.csv"));
        assertThat(labels).hasSize(1 + 10 * 6).first().isEqualTo("ID,Label");
        assertThat(out.toString())
                .contains("phantoms: 2 studies, 10 slices")
                .containsPattern("any=\\d+")
                .contains(dir.resolve("labels.csv").toAbsolutePath().toString());
    }

    @Test
    void refusesZeroStudiesWithAMessageNamingTheFlag(@TempDir Path dir) {
        int exit = ich("phantoms", "--out", dir.toString(), "--studies", "0", "--seed", "1");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--studies must be >= 1, got 0").contains("Usage:");
        assertThat(dir.resolve("labels.csv")).doesNotExist();
    }

    @Test
    void refusesAPositiveRateAboveWhatTheBrainSlicesCanHold(@TempDir Path dir) {
        int exit = ich("phantoms", "--out", dir.toString(), "--studies", "1", "--seed", "1", "--positive-rate", "0.9");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--positive-rate must be between 0 and 0.5, got 0.9");
    }

    @Test
    void requiresTheOutputDirectory() {
        int exit = ich("phantoms", "--studies", "1", "--seed", "1");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("Missing required option: '--out=DIR'");
    }
}

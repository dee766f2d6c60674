package dev.ich.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CleanCommandTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aPhantomStudyBecomesOneRowPerSliceWithPngsForTheKeptOnesAndErrorsForBadFiles(@TempDir Path tmp) throws Exception {
        PhantomSet set = new PhantomGenerator(PhantomOptions.of(1, 5).withSlicesPerStudy(10)).generate(tmp.resolve("in"));
        Path junk = Files.writeString(tmp.resolve("in").resolve("notes.dcm"), "not an image at all, just text".repeat(10));

        CliRun run = CliRun.of("clean", tmp.resolve("in").toString(), "--out", tmp.resolve("png").toString(), "--threads", "2");

        assertThat(run.exitCode()).isZero();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : run.out().strip().split("\n")) rows.add(json.readTree(line));
        assertThat(rows).hasSize(set.slices().size() + 1); // labels.csv is skipped, notes.dcm is reported
        JsonNode error = rows.stream().filter(r -> r.has("error")).findFirst().orElseThrow();
        assertThat(error.get("error").asText()).isEqualTo("NotDicom");
        assertThat(error.get("fname").asText()).isEqualTo(junk.toString());
        assertThat(error.get("reason").asText()).contains("not a DICOM file");

        List<JsonNode> kept = rows.stream().filter(r -> r.path("kept").asBoolean(false)).toList();
        List<JsonNode> dropped = rows.stream().filter(r -> r.has("drop_reason")).toList();
        assertThat(kept).isNotEmpty();
        assertThat(dropped).isNotEmpty(); // the vertex and the teeth
        assertThat(dropped).allSatisfy(r -> assertThat(r.get("img_pct_window").asDouble()).isLessThan(0.02));
        assertThat(kept).allSatisfy(r -> {
            assertThat(r.get("img_pct_window").asDouble()).isGreaterThanOrEqualTo(0.02);
            assertThat(r.get("pipeline").asText()).matches("p[0-9a-f]{12}");
            assertThat(r.get("Rows").isNumber()).isTrue();
        });
        try (Stream<Path> pngs = Files.list(tmp.resolve("png"))) {
            assertThat(pngs.count()).isEqualTo(kept.size());
        }
        BufferedImage png = ImageIO.read(tmp.resolve("png").resolve(kept.get(0).get("SOPInstanceUID").asText() + ".png").toFile());
        assertThat(png.getWidth()).isEqualTo(256);
        assertThat(png.getHeight()).isEqualTo(256);
        assertThat(png.getColorModel().getNumComponents()).isEqualTo(3);
    }

    @Test
    void aWrongCommandLineIsTheOnlyNonZeroExit(@TempDir Path tmp) {
        CliRun run = CliRun.of("clean", tmp.toString(), "--channels", "brain,kidney,hist");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("unknown window 'kidney'");

        CliRun missing = CliRun.of("clean");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required parameter");
    }
}

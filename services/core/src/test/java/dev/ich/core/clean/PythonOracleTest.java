package dev.ich.core.clean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Java cleaning step agrees with an independent pydicom + numpy + scipy implementation of the
 * notebooks' formulas (bench/python/clean_reference.py) on phantom studies, with their quirks, and on a
 * real CT slice: same summary columns, same keep/drop decisions, crop boxes within the notebooks'
 * "pixel or two", and the same PNG pixels where the boxes agree.
 */
class PythonOracleTest {
    private static final Path REFERENCE = Path.of("../../bench/python/clean_reference.py").toAbsolutePath().normalize();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void javaAndThePythonReferenceCleanTheSameSlicesTheSameWay(@TempDir Path tmp) throws Exception {
        Path dicoms = tmp.resolve("in");
        new PhantomGenerator(PhantomOptions.of(3, 11).withSlicesPerStudy(12)).generate(dicoms);
        Files.copy(Tools.pydicomFile("CT_small.dcm"), dicoms.resolve("CT_small.dcm"));
        PipelineConfig config = PipelineConfig.defaults();
        Path bins = Files.writeString(tmp.resolve("bins.json"), json.writeValueAsString(config.bins().edges()));
        Path pythonPngs = tmp.resolve("py");

        String out = Tools.run(Tools.PYTHON, REFERENCE.toString(), "--bins", bins.toString(), "--out", pythonPngs.toString(),
                dicoms.toString());

        Map<String, JsonNode> reference = new HashMap<>();
        for (String line : out.strip().split("\n")) {
            JsonNode n = json.readTree(line);
            reference.put(Path.of(n.get("file").asText()).getFileName().toString(), n);
        }
        assertThat(reference).hasSizeGreaterThanOrEqualTo(37);

        CleaningPipeline pipeline = new CleaningPipeline(config);
        DicomReader reader = DicomReader.create();
        int compared = 0, keptCompared = 0, identicalBoxes = 0;
        for (Map.Entry<String, JsonNode> e : reference.entrySet()) {
            Path file = Files.walk(dicoms).filter(p -> p.getFileName().toString().equals(e.getKey())).findFirst().orElseThrow();
            JsonNode py = e.getValue();
            CleanedSlice java;
            try {
                java = pipeline.clean(reader.read(file));
            } catch (DicomReadException failure) {
                assertThat(py.has("error")).as(e.getKey() + " fails in Java (" + failure + ") but not in Python").isTrue();
                continue;
            }
            assertThat(py.has("error")).as(e.getKey() + " fails in Python only: " + py).isFalse();
            Map<String, Object> row = java.row();
            String what = e.getKey();
            assertThat(row.get("pixel_fixed")).as(what).isEqualTo(py.get("pixel_fixed").asInt());
            assertThat(((Number) row.get("img_min")).doubleValue()).as(what).isEqualTo(py.get("img_min").asDouble());
            assertThat(((Number) row.get("img_max")).doubleValue()).as(what).isEqualTo(py.get("img_max").asDouble());
            assertThat((double) row.get("img_mean")).as(what).isCloseTo(py.get("img_mean").asDouble(), within(1e-6));
            assertThat((double) row.get("img_std")).as(what).isCloseTo(py.get("img_std").asDouble(), within(1e-6));
            assertThat((double) row.get("img_pct_window")).as(what).isCloseTo(py.get("img_pct_window").asDouble(), within(1e-12));
            assertThat(java.kept()).as(what).isEqualTo(py.get("kept").asBoolean());
            compared++;
            if (!java.kept()) continue;

            keptCompared++;
            List<Integer> box = List.of(py.get("crop").get(0).asInt(), py.get("crop").get(1).asInt(), py.get("crop").get(2).asInt());
            assertThat(java.crop().row()).as(what + " crop row").isCloseTo(box.get(0), within(2));
            assertThat(java.crop().column()).as(what + " crop column").isCloseTo(box.get(1), within(2));
            assertThat(java.crop().side()).as(what + " crop side").isCloseTo(box.get(2), within(2));
            BufferedImage mine = ImageIO.read(new ByteArrayInputStream(java.png()));
            BufferedImage theirs = ImageIO.read(pythonPngs.resolve(py.get("sop").asText() + ".png").toFile());
            double[] diff = difference(mine, theirs);
            if (java.crop().equals(new CropBox(box.get(0), box.get(1), box.get(2)))) {
                identicalBoxes++;
                // float rounding and the hist channel's 1/16-HU table: never more than a level or two
                assertThat(diff[1]).as(what + " max pixel difference").isLessThanOrEqualTo(2);
                assertThat(diff[0]).as(what + " mean pixel difference").isLessThan(0.05);
            } else {
                assertThat(diff[0]).as(what + " mean pixel difference, boxes a pixel apart").isLessThan(4);
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(37);
        assertThat(keptCompared).isGreaterThanOrEqualTo(20);
        assertThat(identicalBoxes).as("slices whose crop box is identical").isGreaterThanOrEqualTo(keptCompared / 3);
    }

    /** Mean and maximum absolute difference over all channels of two same-sized RGB images. */
    private static double[] difference(BufferedImage a, BufferedImage b) {
        assertThat(a.getWidth()).isEqualTo(b.getWidth());
        assertThat(a.getHeight()).isEqualTo(b.getHeight());
        long sum = 0;
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y), q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = Math.abs((p >> shift & 0xff) - (q >> shift & 0xff));
                    sum += d;
                    max = Math.max(max, d);
                }
            }
        }
        return new double[] {sum / (3.0 * a.getWidth() * a.getHeight()), max};
    }
}

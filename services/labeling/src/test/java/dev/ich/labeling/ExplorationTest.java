package dev.ich.labeling;

import dev.ich.core.event.SliceCleaned;
import dev.ich.core.label.Label;
import dev.ich.core.phantom.HostileDicom;
import dev.ich.testkit.Chromium;
import dev.ich.testkit.CleanedPhantoms;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** Given the phantom cohort and its labels, then the exploration's numbers are the phantom truth and the report draws. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class ExplorationTest {

    private static int labels(CleanedPhantoms c) throws Exception {
        return RestAssured.given().contentType("text/csv").body(Files.readAllBytes(c.labelsCsv())).post("/labels").then()
                .statusCode(201).extract().jsonPath().getInt("version");
    }

    @Test
    void theNumbersAreThePhantomTruth() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        int version = labels(c);
        JsonPath e = RestAssured.given().queryParam("labels", version).get("/exploration").then().statusCode(200).extract().jsonPath();
        List<SliceCleaned> events = c.events();
        assertThat(e.getLong("slices")).isEqualTo(events.size());
        assertThat(e.getLong("kept")).isEqualTo(events.stream().filter(SliceCleaned::kept).count());
        assertThat(e.getLong("unreadable")).isEqualTo(events.stream().filter(x -> x.error() != null).count());
        assertThat(e.getLong("dropped")).isEqualTo(events.stream().filter(x -> !x.kept() && x.error() == null).count());
        assertThat(e.getLong("labeled")).isEqualTo(events.size());
        assertThat(e.getLong("target.positives")).isEqualTo(c.set().positives(Label.ANY));
        assertThat(e.getLong("target.negatives")).isEqualTo(events.size() - c.set().positives(Label.ANY));
        for (Label l : Label.values()) assertThat(e.getLong("subtypes." + l.csvName())).as(l.csvName()).isEqualTo(c.set().positives(l));

        Map<String, Long> bitsTruth = events.stream().filter(x -> x.row().get("BitsStored") != null).collect(Collectors.groupingBy(
                x -> x.row().get("BitsStored") + "/" + x.row().get("PixelRepresentation"), Collectors.counting()));
        Map<String, Long> bits = e.<Map<String, Object>>getList("bits").stream().filter(b -> b.get("bitsStored") != null)
                .collect(Collectors.toMap(b -> b.get("bitsStored") + "/" + b.get("pixelRepresentation"), b -> ((Number) b.get("slices")).longValue()));
        assertThat(bits).isEqualTo(bitsTruth);
        assertThat(bits.keySet()).as("phantoms mix 12- and 16-bit sources").anyMatch(k -> k.startsWith("12/")).anyMatch(k -> k.startsWith("16/"));

        long withPct = events.stream().filter(x -> x.row().get("img_pct_window") != null).count();
        List<Map<String, Object>> bins = e.getList("pctWindow.bins");
        assertThat(bins).hasSize(50);
        assertThat(bins.stream().mapToLong(b -> ((Number) b.get("slices")).longValue()).sum()).isEqualTo(withPct);
        assertThat(bins.stream().mapToLong(b -> ((Number) b.get("positives")).longValue()).sum())
                .isEqualTo(events.stream().filter(x -> x.row().get("img_pct_window") != null)
                        .filter(x -> c.set().slices().stream().anyMatch(t -> t.sopInstanceUid().equals(x.sopInstanceUid()) && t.has(Label.ANY))).count());
        assertThat(e.getDouble("pctWindow.threshold")).isEqualTo(0.02);

        List<Map<String, Object>> nulls = e.getList("nulls");
        assertThat(nulls).extracting(n -> n.get("column")).contains("BitsStored", "img_pct_window", "PatientID");
        assertThat(nulls.stream().filter(n -> n.get("column").equals("crop_side")).findFirst().orElseThrow().get("nulls"))
                .isEqualTo((int) events.stream().filter(x -> !x.kept()).count());
        assertThat(e.getList("samples")).isNotEmpty();
        assertThat(e.getList("droppedSlices")).isNotEmpty();
    }

    @Test
    void slicesRenderInAnyWindowAndAugmentationsInAGrid() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        SliceCleaned keptSlice = c.events().stream().filter(SliceCleaned::kept).findFirst().orElseThrow();
        byte[] brain = RestAssured.given().queryParam("window", "brain").get("/slices/" + keptSlice.sopInstanceUid() + "/image")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        byte[] bone = RestAssured.given().queryParam("window", "bone").queryParam("size", 64)
                .get("/slices/" + keptSlice.sopInstanceUid() + "/image").then().statusCode(200).extract().asByteArray();
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(brain));
        assertThat(b.getWidth()).isEqualTo(128);
        assertThat(ImageIO.read(new ByteArrayInputStream(bone)).getWidth()).isEqualTo(64);
        assertThat(Chromium.distinctColours(b)).as("a windowed head, not a flat image").isGreaterThan(20);
        RestAssured.given().queryParam("window", "nope").get("/slices/" + keptSlice.sopInstanceUid() + "/image").then()
                .statusCode(400).body("detail", containsString("brain"));
        SliceCleaned unreadable = c.events().stream().filter(x -> x.error() != null).findFirst().orElseThrow();
        RestAssured.get("/slices/" + unreadable.sopInstanceUid() + "/image").then().statusCode(422)
                .body("detail", containsString("ShortPixelData"));
        // whatever a raw object holds (one stored before ingest refused such things), the image view answers with the
        // reader's problem, in bounded memory: never an OutOfMemoryError or a StackOverflowError
        String rawKey = unreadable.row().get("fname").toString();
        byte[] original = S3TestResource.store().get(rawKey);
        try {
            Map<String, byte[]> hostile = Map.of("TooDeep", HostileDicom.nestedSequences(61_001, 10_000, HostileDicom.Nesting.IMPLICIT_SQ, false).bytes(),
                    "InflationBudget", HostileDicom.deflatedPixelBomb(61_002, 1024).bytes());
            for (Map.Entry<String, byte[]> h : hostile.entrySet()) {
                S3TestResource.store().put(rawKey, h.getValue(), "application/dicom", Map.of());
                RestAssured.get("/slices/" + unreadable.sopInstanceUid() + "/image").then().statusCode(422)
                        .contentType("application/problem+json").body("code", org.hamcrest.Matchers.equalTo(h.getKey()));
            }
        } finally {
            S3TestResource.store().put(rawKey, original, "application/dicom", Map.of());
        }

        byte[] grid = RestAssured.given().queryParam("count", 7).queryParam("columns", 4)
                .get("/slices/" + keptSlice.sopInstanceUid() + "/augmentations").then().statusCode(200).extract().asByteArray();
        BufferedImage g = ImageIO.read(new ByteArrayInputStream(grid));
        assertThat(g.getWidth()).isGreaterThan(4 * 64);
        assertThat(Chromium.nonBackgroundShare(g)).isGreaterThan(0.2);
        SliceCleaned dropped = c.events().stream().filter(x -> !x.kept() && x.error() == null).findFirst().orElseThrow();
        RestAssured.get("/slices/" + dropped.sopInstanceUid() + "/augmentations").then().statusCode(404)
                .body("detail", containsString("not kept"));
    }

    @Test
    void theReportPageDrawsItsChartsInARealBrowser() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        labels(c);
        String html = RestAssured.get("/exploration/report").then().statusCode(200).contentType(containsString("text/html"))
                .extract().asString();
        // Self-contained: a browser sends no token for an image, so every picture is in the page itself.
        assertThat(html).contains("data:image/png;base64,").doesNotContain("../slices/").doesNotContain("src=\"\"");
        Assumptions.assumeTrue(Chromium.available(), "chromium is not installed (./ich test installs it)");
        Path shot = Path.of("target/report-screenshots/exploration-report-service.png");
        Files.createDirectories(shot.getParent());
        Path page = Files.writeString(shot.resolveSibling("exploration-report-service.html"), html);
        Chromium.screenshot(page.toUri(), shot, 1200, 4000);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertThat(Objects.requireNonNull(img).getWidth()).isEqualTo(1200);
        assertThat(Chromium.nonBackgroundShare(img)).as("charts and slices drawn").isGreaterThan(0.1);
        assertThat(Chromium.distinctColours(img)).isGreaterThan(500);
    }
}

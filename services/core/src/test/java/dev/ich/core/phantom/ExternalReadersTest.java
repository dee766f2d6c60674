package dev.ich.core.phantom;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Given phantom files, tools that were not written by us read them: dcmtk's dcmdump and pydicom
 * (both installed by ./ich test from Debian). Debian's python3 is used because pydicom lives there.
 */
class ExternalReadersTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private final PhantomSet set = SmallPhantomSet.get();

    @Test
    void dcmdumpReadsEveryFileWithoutErrors() throws Exception {
        assumeTrue(onPath("dcmdump"), "dcmtk's dcmdump is not installed (./ich test installs it)");
        List<String> command = new ArrayList<>(List.of("dcmdump"));
        set.slices().forEach(s -> command.add(s.file().toString()));
        Result r = run(command);
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output.lines().filter(l -> l.startsWith("E:"))).isEmpty();
    }

    @Test
    void pydicomDecodesPixelsToTheHuTheGeneratorRendered() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "Debian's python3 is not installed");
        PhantomGenerator generator = new PhantomGenerator(SmallPhantomSet.OPTIONS);
        List<SliceTruth> probes = set.slices().stream()
                .filter(s -> s.sliceIndex() == 3 && !s.has(Quirk.SHORT_PIXEL_DATA)).toList();
        int[][] points = {{0, 0}, {5, 200}, {100, 100}, {200, 250}, {230, 230}, {255, 300}, {300, 150}, {400, 420}};
        String script = String.join("\n",
                "import sys, pydicom",
                "for f in sys.argv[1:]:",
                "    d = pydicom.dcmread(f)",
                "    a = d.pixel_array",
                "    pts = [" + pointsLiteral(points) + "]",
                "    print(a.shape[0], a.shape[1], float(d.RescaleIntercept), ' '.join(str(int(a[r, c])) for r, c in pts))");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        probes.forEach(s -> command.add(s.file().toString()));
        Result r = run(command);
        assumeTrue(!r.output.contains("No module named 'pydicom'"), "python3-pydicom is not installed");
        assertThat(r.exit).as(r.output).isZero();

        List<String> lines = r.output.lines().toList();
        assertThat(lines).hasSize(probes.size());
        for (int i = 0; i < probes.size(); i++) {
            SliceTruth s = probes.get(i);
            String[] f = lines.get(i).split(" ");
            assertThat(Integer.parseInt(f[0])).isEqualTo(s.rows());
            assertThat(Integer.parseInt(f[1])).isEqualTo(s.columns());
            Source source = sourceOf(s);
            PhantomImage image = generator.render(s.studyIndex(), s.sliceIndex());
            for (int p = 0; p < points.length; p++) {
                int stored = Integer.parseInt(f[3 + p]);
                int hu = image.hu(points[p][0], points[p][1]);
                assertThat(stored).as("%s pixel %d,%d", source, points[p][0], points[p][1])
                        .isEqualTo(source.pixelRepresentation == 0 ? source.store(hu) & 0xFFFF : (int) source.store(hu));
                if (source != Source.MIS_ENCODED_12) {
                    assertThat(stored + (int) Double.parseDouble(f[2])).isEqualTo(source.encodedHu(hu));
                }
            }
        }
    }

    private static Source sourceOf(SliceTruth s) {
        if (s.has(Quirk.MIS_ENCODED_12_BIT)) return Source.MIS_ENCODED_12;
        if (s.has(Quirk.SIGNED_PIXELS)) return Source.SIGNED_16;
        return s.has(Quirk.INTERCEPT_1000) ? Source.UNSIGNED_16_INTERCEPT_1000 : Source.UNSIGNED_12;
    }

    private static String pointsLiteral(int[][] points) {
        List<String> p = new ArrayList<>();
        for (int[] xy : points) p.add("(" + xy[0] + ", " + xy[1] + ")");
        return String.join(", ", p);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command.get(0));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}

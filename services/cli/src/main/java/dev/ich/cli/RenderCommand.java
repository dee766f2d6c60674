package dev.ich.cli;

import dev.ich.core.clean.HuImage;
import dev.ich.core.clean.PngEncoder;
import dev.ich.core.clean.Window;
import dev.ich.core.clean.Windows;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** `ich render`: one slice in several windows side by side, as a radiologist would flip through them. */
@Command(name = "render", description = "Write a PNG of one DICOM slice in several windows, side by side.")
final class RenderCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A DICOM slice.")
    Path file;

    @Option(names = "--windows", split = ",", description = "Window names (default: brain,subdural,bone). Known: "
            + "brain, subdural, stroke, brain_bone (bone), brain_soft, lungs, mediastinum, abdomen_soft, liver, spine_soft, spine_bone.")
    List<String> windows = List.of("brain", "subdural", "bone");

    @Option(names = "--out", required = true, paramLabel = "PNG", description = "Where to write the picture.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<Window> ws = windows.stream().map(Windows::require).toList();
        HuImage hu;
        try {
            hu = HuImage.of(DicomReader.create().read(file));
        } catch (DicomReadException e) {
            System.err.println("render: " + file + ": " + e.problem() + ": " + e.reason());
            return 1;
        }
        int w = hu.columns(), h = hu.rows(), gap = 4, total = ws.size() * w + (ws.size() - 1) * gap;
        byte[] strip = new byte[total * h];
        for (int k = 0; k < ws.size(); k++) {
            byte[] px = hu.windowed(ws.get(k));
            for (int y = 0; y < h; y++) System.arraycopy(px, y * w, strip, y * total + k * (w + gap), w);
        }
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.write(out, PngEncoder.encode(strip, total, h, 1));
        System.out.println(out + ": " + file.getFileName() + " in " + windows);
        return 0;
    }
}

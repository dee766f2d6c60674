package dev.ich.core.phantom;

import dev.ich.core.label.Label;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** labels.csv in the RSNA format: {@code ID,Label}, six rows per slice in {@link Label} order. */
final class LabelsCsv {
    static final String FILE_NAME = "labels.csv";

    private LabelsCsv() {
    }

    static Path write(Path directory, List<SliceTruth> slices) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            out.write("ID,Label\n");
            for (SliceTruth s : slices) {
                for (Label label : Label.values()) {
                    out.write(s.sliceId() + "_" + label.csvName() + "," + (s.has(label) ? 1 : 0) + "\n");
                }
            }
        }
        return file;
    }
}

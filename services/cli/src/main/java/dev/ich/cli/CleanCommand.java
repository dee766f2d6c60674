package dev.ich.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.clean.CleanedSlice;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.dicom.DicomSlice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Callable;

/** `ich clean`: the notebooks' cleaning step on files, one JSON line per slice, PNGs to a folder. */
@Command(name = "clean", sortOptions = false,
        description = {"Clean DICOM slices: print one JSON line per slice (metadata row with kept or drop_reason,"
                + " or error with its reason) and write the cleaned PNGs (<SOPInstanceUID>.png) to --out.",
                "Exit status is 0 unless the command line itself is wrong: bad files are reported, not fatal."})
final class CleanCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "DICOM files or folders (walked for *.dcm and extension-less files).")
    List<Path> paths;

    @Option(names = "--out", paramLabel = "DIR", description = "Write cleaned PNGs here (created if missing).")
    Path out;

    @Option(names = "--threads", description = "Worker threads (default: the number of cores).")
    Integer threads;

    @Mixin
    PipelineOptions pipelineOptions;

    @Override
    public Integer call() throws Exception {
        CleaningPipeline pipeline = pipelineOptions.pipeline();
        DicomReader reader = DicomReader.create();
        if (out != null) Files.createDirectories(out);
        List<Path> files = DicomInputs.expand(paths);
        ObjectMapper json = new ObjectMapper();
        PrintStream stdout = System.out;
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, threads);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            // Bounded look-ahead keeps memory flat on large folders while output stays in input order.
            int window = workers * 4;
            List<Future<Map<String, Object>>> pending = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                pending.add(pool.submit(() -> cleanOne(reader, pipeline, file)));
                if (pending.size() >= window) stdout.println(json.writeValueAsString(pending.remove(0).get()));
            }
            for (Future<Map<String, Object>> f : pending) stdout.println(json.writeValueAsString(f.get()));
        } finally {
            pool.shutdownNow();
        }
        stdout.flush();
        return 0;
    }

    private Map<String, Object> cleanOne(DicomReader reader, CleaningPipeline pipeline, Path file) {
        try {
            DicomSlice slice = reader.read(file);
            CleanedSlice cleaned = pipeline.clean(slice);
            if (cleaned.kept() && out != null) {
                String sop = slice.header().sopInstanceUid();
                String name = sop != null && sop.matches("[0-9.]{1,64}") ? sop : file.getFileName().toString();
                Files.write(out.resolve(name + ".png"), cleaned.png());
            }
            return cleaned.row();
        } catch (DicomReadException e) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("fname", file.toString());
            row.put("error", e.problem().name());
            row.put("reason", e.reason());
            return row;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the PNG of " + file + " to " + out + ": " + e.getMessage(), e);
        }
    }
}

package dev.ich.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** dcmtk's storescu and echoscu from Debian: a real DICOM network peer for the C-STORE receiver. */
public final class Dcmtk {
    public record Run(int exit, String output) {
    }

    private Dcmtk() {
    }

    /** storescu to the test receiver on loopback, as calling AE {@code calling}, called AE {@code called}. */
    public static Run storescu(String calling, String called, String... args) {
        List<String> command = new ArrayList<>(List.of("storescu", "-v", "-aet", calling, "-aec", called, "127.0.0.1",
                String.valueOf(DimsePortResource.port)));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    public static Run echoscu(String calling, String called) {
        return run("echoscu", "-v", "-aet", calling, "-aec", called, "127.0.0.1", String.valueOf(DimsePortResource.port));
    }

    public static Run run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            return new Run(p.exitValue(), out);
        } catch (Exception e) {
            throw new IllegalStateException("cannot run " + command[0] + " (apt-get install dcmtk): " + e.getMessage(), e);
        }
    }
}

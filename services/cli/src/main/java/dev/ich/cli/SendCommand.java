package dev.ich.cli;

import dev.ich.cli.auth.Credentials;
import dev.ich.cli.send.Sender;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `ich send`: DICOM files and folders to ingest by STOW-RS, resumable. */
@Command(name = "send", description = {"Send DICOM files and folders to ingest by STOW-RS in batches, with a progress bar"
        + " and a final count (stored, duplicate, failed with reasons). Interrupted and run again, it resends only what"
        + " the destination does not hold yet (journal under .ich/send/).",
        "Exit status: 0 when every file was stored (or already there), 1 when some failed, 2 for a wrong command line."})
final class SendCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "DICOM files or folders (walked for *.dcm and extension-less files).")
    List<Path> paths;

    @Option(names = "--to", paramLabel = "URL", description = "Ingest base URL (default: INGEST_URL of the running local stack, else http://127.0.0.1:8081).")
    String to;

    @Option(names = "--parallel", defaultValue = "4", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--batch", defaultValue = "16", description = "Instances per request (default: ${DEFAULT-VALUE}); requests also stop at 32 MiB.")
    int batch;

    @Override
    public Integer call() throws Exception {
        StackLayout layout = StackLayout.fromSystem();
        Map<String, String> stack = new LocalStack(layout, System.err).readStackEnv();
        String destination = to != null ? to : stack.getOrDefault("INGEST_URL", "http://127.0.0.1:8081");
        Sender.Report report = new Sender(destination, Credentials.forStack(stack, "ich-uploader"), Math.max(1, parallel), Math.max(1, batch), layout.root().resolve("send"))
                .send(DicomInputs.expand(paths), System.err);
        System.out.println(report.summary());
        return report.failed() == 0 && report.error() == null ? 0 : 1;
    }
}

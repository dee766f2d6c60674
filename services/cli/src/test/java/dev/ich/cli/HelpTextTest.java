package dev.ich.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command's --help renders cleanly: a stray '%' in a description makes picocli print its raw text with a warning. */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutAPicocliWarning() {
        List<String[]> paths = new ArrayList<>();
        collect(IchCommand.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(10);

        for (String[] path : paths) {
            String[] args = new String[path.length + 1];
            System.arraycopy(path, 0, args, 0, path.length);
            args[path.length] = "--help";
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.out() + run.err()).as(String.join(" ", args))
                    .doesNotContain("picocli WARN").doesNotContain("%n").contains("Usage: ich");
        }
    }

    private static void collect(CommandLine command, List<String> prefix, List<String[]> out) {
        for (var entry : command.getSubcommands().entrySet()) {
            if (!entry.getValue().getCommandName().equals(entry.getKey())) continue; // an alias
            List<String> path = new ArrayList<>(prefix);
            path.add(entry.getKey());
            out.add(path.toArray(String[]::new));
            collect(entry.getValue(), path, out);
        }
    }
}

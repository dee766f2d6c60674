package dev.ich.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The `ich` command line: the Java half of the ./ich script at the repository root. */
@Command(name = "ich",
        mixinStandardHelpOptions = true,
        versionProvider = IchCommand.Version.class,
        description = "Brain-CT DICOM to intracranial-hemorrhage classifiers: tools for people and scripts.",
        subcommands = {
                PhantomsCommand.class,
                CleanCommand.class,
                RenderCommand.class,
                LabelsCommand.class,
                BinsCommand.class,
                BenchCommand.class,
                StackCommands.Up.class,
                StackCommands.Down.class,
                StackCommands.Status.class,
                SendCommand.class,
                DemoCommand.class,
                TokenCommand.class,
                AuditCommand.class,
                CommandLine.HelpCommand.class
        })
public final class IchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The Kafka client logs every producer's start and close at INFO through java.util.logging: a screenful per
     * command that talks to the broker. Held in a field because java.util.logging keeps loggers weakly.
     */
    private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");

    public static void main(String[] args) {
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(commandLine().execute(args));
    }

    /** One place that builds the command tree, so tests run exactly what users run. */
    public static CommandLine commandLine() {
        CommandLine root = new CommandLine(new IchCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        withHelpEverywhere(root);
        return root;
    }

    /** Every command answers --help and --version, including those whose annotation forgot to ask for it. */
    private static void withHelpEverywhere(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommandSpec().findOption("--help") == null) sub.getCommandSpec().mixinStandardHelpOptions(true);
            withHelpEverywhere(sub);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = IchCommand.class.getPackage().getImplementationVersion();
            return new String[] {"ich " + (v == null ? "development build" : v)};
        }
    }
}

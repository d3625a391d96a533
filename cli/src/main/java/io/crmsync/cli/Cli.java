package io.crmsync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of {@code crmsync.jar}: {@code validate}, {@code full-sync}, {@code poll},
 * {@code reverse-sync}, {@code sync-queries}, {@code serve} and {@code config}, each with
 * {@code --config FILE}, {@code -D key=value} overrides, {@code --strict} and {@code --help};
 * {@code crmsync --version}. For many tenants: {@code cluster} (a node) and
 * {@code tenant add|update|pause|resume|remove|list|full-sync}, whose {@code --config} is the
 * node's file ({@code cluster.*} keys, see {@code docs/CLUSTER.md}). Every key is declared once
 * ({@code docs/CONFIGURATION.md}); an unknown key gets a warning naming the nearest one.
 *
 * <p>Exit statuses: 0 done; 1 the run failed (a service error; state is kept and the next run
 * resumes); 2 bad usage or configuration (the message names the option or key); 3
 * {@code validate} found problems.
 *
 * <pre>{@code
 * int status = new Cli(System.getenv(), System.out, System.err).run(args);
 * }</pre>
 */
public final class Cli {

    /** Exit status: success. */
    public static final int OK = ExitStatus.OK;
    /** Exit status: the run failed. */
    public static final int FAILED = ExitStatus.FAILED;
    /** Exit status: bad usage or configuration. */
    public static final int USAGE = ExitStatus.USAGE;
    /** Exit status: the setup is invalid. */
    public static final int INVALID_SETUP = ExitStatus.INVALID_SETUP;

    private final CliContext ctx;

    /** Creates a runner reading secrets and overrides from {@code env}. */
    public Cli(Map<String, String> env, PrintStream out, PrintStream err) {
        this(env, out, err, System.getProperties());
    }

    /** As {@link #Cli(Map, PrintStream, PrintStream)}, with the system properties to read {@code crmsync.*} from. */
    Cli(Map<String, String> env, PrintStream out, PrintStream err, Properties system) {
        this.ctx = new CliContext(env, out, err, system);
    }

    /** Runs a command line; returns the exit status. {@code serve} returns when {@link #stop()} is called. */
    public int run(String[] args) {
        try {
            return commandLine().execute(args);
        } finally {
            ctx.finished.countDown();
        }
    }

    /** The picocli command tree, writing to this runner's streams. */
    CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Crmsync());
        for (Object sub : List.of(
                new ValidateCommand(ctx),
                new FullSyncCommand(ctx),
                new PollCommand(ctx),
                new ReverseSyncCommand(ctx),
                new SyncQueriesCommand(ctx),
                new ServeCommand(ctx),
                new ConfigCommand(ctx),
                new ClusterCommand(ctx),
                new StatusCommand(ctx))) {
            cmd.addSubcommand(sub);
        }
        cmd.addSubcommand(TenantCommand.tree(ctx));
        cmd.setOut(new PrintWriter(ctx.out, true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(ctx.err, true, StandardCharsets.UTF_8));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionExceptionHandler((e, line, parsed) -> e instanceof RuntimeException re
                ? ExitStatus.of(line.getCommandName(), re, ctx.err)
                : ExitStatus.of(line.getCommandName(), new IllegalStateException(e.getMessage(), e), ctx.err));
        return cmd;
    }

    /** The top command: only {@code --help} and {@code --version}. */
    @Command(
            name = "crmsync",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            description = "Keeps APSIS One profiles in step with Efficy contacts and brings responses back.",
            synopsisSubcommandLabel = "COMMAND",
            exitCodeListHeading = "%nExit statuses:%n",
            exitCodeList = {
                "0:done",
                "1:the run failed; state is kept and the next run resumes",
                "2:bad usage or configuration (the message names the key)",
                "3:validate found problems"
            })
    static final class Crmsync implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Read by {@link Main} before the command runs (the log is set up first); here so every command accepts it. */
        @CommandLine.Option(
                names = "--log-format",
                scope = CommandLine.ScopeType.INHERIT,
                paramLabel = "FORMAT",
                description = "text (default) or json: one JSON object per log line, with the run's tenant, job and run"
                        + " (also: CRMSYNC_LOG_FORMAT)")
        String logFormat;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return USAGE;
        }
    }

    /** {@code --version}: the version the jar was built as. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {
                "crmsync " + p.getProperty("version", "unknown"), "Java " + System.getProperty("java.version")
            };
        }
    }

    /** The running cluster server, while {@code cluster} runs (for tests). */
    public ClusterServer clusterServer() {
        return ctx.clusterServer;
    }

    /** The running server, while {@code serve} runs (for tests). */
    public Server server() {
        return ctx.server;
    }

    /** Makes {@code serve} (or {@code cluster}) return. */
    public void stop() {
        ctx.stop.countDown();
    }
}

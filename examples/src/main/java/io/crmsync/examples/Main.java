package io.crmsync.examples;

import io.crmsync.examples.demo.Demo;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Entry point of {@code examples/target/crmsync-examples.jar}:
 *
 * <pre>
 * java -jar examples/target/crmsync-examples.jar demo [--contacts N]
 * </pre>
 *
 * <p>{@code demo} runs everything against in-process emulators with its state in
 * {@code target/demo-state.mv.db} beside the jar. The runner for real accounts is the {@code cli}
 * module's {@code crmsync.jar}.
 */
public final class Main {

    /** Exit status of bad usage. */
    static final int USAGE = 2;

    private Main() {}

    /** Runs a command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("demo")) {
            int contacts = 10_000;
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--contacts") && i + 1 < args.length) {
                    try {
                        contacts = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        err.println("crmsync demo: --contacts must be a number, was '" + args[i] + "'");
                        return USAGE;
                    }
                } else {
                    err.println("crmsync demo: unknown argument '" + args[i] + "'");
                    return USAGE;
                }
            }
            return new Demo(out, contacts, stateFile()).run();
        }
        err.println("usage: java -jar examples/target/crmsync-examples.jar demo [--contacts N]");
        err.println("The CLI for real accounts is crmsync.jar: java -jar cli/target/crmsync.jar --help");
        return USAGE;
    }

    /** {@code demo-state} in the build folder holding the jar (or {@code ./target}). */
    static Path stateFile() {
        try {
            // The jar (or the classes folder) sits in the build folder: keep the state beside it.
            Path jar = Path.of(Main.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return jar.getParent().resolve("demo-state");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "demo-state");
        }
    }
}

package io.crmsync.examples;

import io.crmsync.examples.cli.Cli;
import io.crmsync.examples.demo.Demo;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Entry point of {@code examples/target/crmsync-examples.jar}:
 *
 * <pre>
 * java -jar examples/target/crmsync-examples.jar demo [--contacts N]
 * java -jar examples/target/crmsync-examples.jar validate|full-sync [--dry-run]|poll|reverse-sync|serve --config crmsync.properties
 * </pre>
 *
 * <p>{@code demo} runs everything against in-process emulators with its state in
 * {@code target/demo-state.mv.db} beside the jar. The other commands are the CLI runner for real
 * accounts (see {@link Cli}).
 */
public final class Main {

  private Main() {}

  /** Runs a command and exits with its status. */
  public static void main(String[] args) {
    // Jetty at DEBUG logs request lines, and the Efficy webhook's secret may be in its path.
    System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "info");
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
            return Cli.USAGE;
          }
        } else {
          err.println("crmsync demo: unknown argument '" + args[i] + "'");
          return Cli.USAGE;
        }
      }
      return new Demo(out, contacts, stateFile()).run();
    }
    return new Cli(System.getenv(), out, err).run(args);
  }

  /** {@code demo-state} in the build folder holding the jar (or {@code ./target}). */
  static Path stateFile() {
    try {
      // The jar (or the classes folder) sits in the build folder: keep the state beside it.
      Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return jar.getParent().resolve("demo-state");
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("target", "demo-state");
    }
  }
}

package io.crmsync.examples;

import java.io.PrintStream;
import java.util.List;

/**
 * Entry point of the examples jar: {@code java -jar examples/target/crmsync-examples.jar demo}.
 *
 * <p>Until the demo itself lands, {@code demo} prints the steps it will run so the README's first
 * command already works end to end. Unknown commands exit with status 2 and a usage line.
 */
public final class Main {

  /** The steps of the demo, in order. */
  static final List<String> DEMO_STEPS =
      List.of(
          "start the Efficy and APSIS One emulators on 127.0.0.1",
          "seed Efficy with 10,000 contacts",
          "validate the setup on both sides",
          "run a full sync with a live progress line",
          "edit a contact and show the real-time sync",
          "change an e-mail address and show the consent moving to the new address",
          "sync a stored query as an APSIS tag",
          "simulate a campaign and run reverse sync into Efficy",
          "deliver a task webhook and show the task assigned in Efficy",
          "print a summary of what happened and the API calls on each side");

  private Main() {}

  /** Runs a command; see the class documentation. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command and returns the process exit status, writing to the given streams. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "demo" : args[0];
    if (!command.equals("demo")) {
      err.println("unknown command '" + command + "'; usage: crmsync-examples demo");
      return 2;
    }
    out.println("crmsync demo: the full demo is being built; it will:");
    for (int i = 0; i < DEMO_STEPS.size(); i++) {
      out.printf("  %2d. %s%n", i + 1, DEMO_STEPS.get(i));
    }
    return 0;
  }
}

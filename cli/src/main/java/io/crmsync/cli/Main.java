package io.crmsync.cli;

/**
 * The entry point of {@code crmsync.jar}:
 *
 * <pre>
 * java -jar cli/target/crmsync.jar --help
 * java -jar cli/target/crmsync.jar full-sync --config crmsync.properties
 * </pre>
 */
public final class Main {

    private Main() {}

    /** Runs a command line and exits with its status. */
    public static void main(String[] args) {
        LogSetup.configure(
                args.length == 0 ? "" : args[0],
                LogSetup.format(args, System.getenv()),
                System.getProperties(),
                System.err);
        System.exit(new Cli(System.getenv(), System.out, System.err).run(args));
    }
}

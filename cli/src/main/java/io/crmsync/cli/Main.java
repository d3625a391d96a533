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
        // Jetty at DEBUG logs request lines, and the Efficy webhook's secret may be in its path.
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "info");
        System.exit(new Cli(System.getenv(), System.out, System.err).run(args));
    }
}

package io.crmsync.cli;

import java.util.Properties;

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
        logging(args.length == 0 ? "" : args[0], System.getProperties());
        System.exit(new Cli(System.getenv(), System.out, System.err).run(args));
    }

    /**
     * The log's settings, unless given as system properties: every line with its time (ISO 8601,
     * with the offset); Jetty at INFO at most (at DEBUG it logs request lines, and an Efficy
     * webhook's secret may be in its path); the pool's warnings of each dropped connection left out
     * (a database outage is logged once each way); the pool's and the scheduler's INFO lines only in the
     * commands that run for long ({@code cluster}, {@code serve}), so that an admin command prints
     * its answer alone.
     */
    static void logging(String command, Properties p) {
        p.putIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        p.putIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        p.putIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "info");
        // During a database outage the pool warns, with a stack trace, of each connection it drops;
        // the node's own database check says once that the database is down, and once that it is back.
        p.putIfAbsent("org.slf4j.simpleLogger.log.com.zaxxer.hikari.pool.ProxyConnection", "error");
        p.putIfAbsent("org.slf4j.simpleLogger.log.com.zaxxer.hikari.pool.PoolBase", "error");
        if (!command.equals("cluster") && !command.equals("serve")) {
            p.putIfAbsent("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
            p.putIfAbsent("org.slf4j.simpleLogger.log.com.github.kagkarlsson", "warn");
        }
    }
}

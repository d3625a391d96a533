package io.crmsync.testkit;

import io.crmsync.testkit.apsis.ApsisLimits;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulators as a standalone process, for the CLI, for benchmarks that keep the
 * emulators out of the measured JVM, and for trying crmsync by hand:
 *
 * <pre>
 * java -jar testkit/target/testkit-0.1.0-SNAPSHOT-standalone.jar efficy --port 8081 --contacts 10000
 * java -jar testkit/target/testkit-0.1.0-SNAPSHOT-standalone.jar apsis --port 8082 [--relaxed]
 * java -jar testkit/target/testkit-0.1.0-SNAPSHOT-standalone.jar both --efficy-port 8081 --apsis-port 8082 --contacts 10000
 * </pre>
 *
 * <p>Options: {@code --seed N} (default 42) for the generated contacts; {@code --relaxed} turns
 * APSIS rate limits off. It prints the base URIs and the credentials they accept, then serves
 * until the process is stopped. Both bind to 127.0.0.1 only.
 */
public final class Main {

    private Main() {}

    /** Starts the emulators named by {@code args} and serves until the process ends. */
    public static void main(String[] args) throws InterruptedException {
        List<AutoCloseable> started;
        try {
            started = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("crmsync-testkit: " + e.getMessage());
            System.err.println("usage: efficy|apsis|both [--port N] [--efficy-port N] [--apsis-port N]"
                    + " [--contacts N] [--seed N] [--relaxed]");
            System.exit(2);
            return;
        }
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(Main::closeQuietly)));
        forever.await();
    }

    /**
     * Starts the emulators and prints where they are.
     *
     * @return the running emulators (close them to stop)
     * @throws IllegalArgumentException naming a bad argument
     */
    public static List<AutoCloseable> start(String[] args, PrintStream out) {
        if (args.length == 0) {
            throw new IllegalArgumentException("name what to start: efficy, apsis or both");
        }
        String what = args[0];
        if (!List.of("efficy", "apsis", "both").contains(what)) {
            throw new IllegalArgumentException("unknown emulator '" + what + "'");
        }
        int port = 0;
        int efficyPort = 0;
        int apsisPort = 0;
        int contacts = 0;
        long seed = 42;
        boolean relaxed = false;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--relaxed":
                    relaxed = true;
                    break;
                case "--port":
                    port = intValue(args, ++i, option, 0, 65535);
                    break;
                case "--efficy-port":
                    efficyPort = intValue(args, ++i, option, 0, 65535);
                    break;
                case "--apsis-port":
                    apsisPort = intValue(args, ++i, option, 0, 65535);
                    break;
                case "--contacts":
                    contacts = intValue(args, ++i, option, 0, 50_000_000);
                    break;
                case "--seed":
                    seed = intValue(args, ++i, option, 0, Integer.MAX_VALUE);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        List<AutoCloseable> started = new ArrayList<>();
        if (what.equals("efficy") || what.equals("both")) {
            EfficyEmulator efficy = EfficyEmulator.builder()
                    .port(what.equals("both") ? efficyPort : port)
                    .start();
            started.add(efficy);
            if (contacts > 0) {
                efficy.seedContacts(contacts, seed);
            }
            out.println("Efficy emulator: " + efficy.baseUri() + "/crm  (JSON-RPC at /crm/json)");
            out.println("  API key: " + efficy.apiKey() + "   customer: " + efficy.customer()
                    + "   user/password: APIUSER/secret   contacts: " + efficy.contactCount());
        }
        if (what.equals("apsis") || what.equals("both")) {
            ApsisEmulator apsis = ApsisEmulator.builder()
                    .port(what.equals("both") ? apsisPort : port)
                    .limits(relaxed ? ApsisLimits.relaxed() : ApsisLimits.documented())
                    .start();
            started.add(apsis);
            out.println("APSIS One emulator: " + apsis.baseUri());
            out.println("  client id: " + apsis.clientId() + "   client secret: " + apsis.clientSecret()
                    + "   rate limits: " + (relaxed ? "off" : "as documented"));
        }
        out.flush();
        return started;
    }

    private static int intValue(String[] args, int index, String option, int min, int max) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a number");
        }
        try {
            int v = Integer.parseInt(args[index]);
            if (v < min || v > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", was " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, was '" + args[index] + "'");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // shutting down
        }
    }
}

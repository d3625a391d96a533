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
 * <p>Options: {@code --contacts N} contacts per customer, {@code --seed N} (default 42) for the
 * generated contacts; {@code --customers N} Efficy customers ({@code demo}, then {@code demo2},
 * {@code demo3}... with API keys {@code test-api-key}, {@code test-api-key-2}...); {@code --accounts N}
 * APSIS accounts ({@code test-client}, then {@code test-client-2}... with secrets {@code test-secret},
 * {@code test-secret-2}...); {@code --relaxed} turns APSIS rate limits off; {@code --help}. It
 * prints the base URIs and the credentials they accept, then serves until the process is stopped.
 * Both bind to 127.0.0.1 only. Each also answers admin routes under {@code /_admin} (contacts,
 * campaigns, profiles: {@code docs/EMULATORS.md}).
 */
public final class Main {

    private Main() {}

    /** What {@code --help} prints. */
    static final String USAGE = String.join(
            "\n",
            "usage: java -jar testkit-standalone.jar efficy|apsis|both|postgres [options]",
            "  --port N          the port of the one emulator started (default: a free one)",
            "  --efficy-port N   with both: the Efficy emulator's port",
            "  --apsis-port N    with both: the APSIS emulator's port",
            "  --contacts N      contacts seeded per Efficy customer (default 0)",
            "  --seed N          the seed of the generated contacts (default 42)",
            "  --customers N     Efficy customers: demo, demo2, ... (default 1)",
            "  --accounts N      APSIS accounts: test-client, test-client-2, ... (default 1)",
            "  --relaxed         no APSIS rate limits (default: as documented)",
            "  --on-demand P     serve every customer and account named P<anything> on first use: API key",
            "                    <alias>-key and 20-200 contacts from the alias; secret <client id>-secret",
            "  --help            this text",
            "postgres starts a throwaway PostgreSQL on 127.0.0.1 (--port N) for trying a cluster.",
            "Admin routes (docs/EMULATORS.md): /_admin/contacts, /_admin/activities on Efficy;",
            "/_admin/profiles, /_admin/campaigns on APSIS. Both bind to 127.0.0.1.");

    /** Starts the emulators named by {@code args} and serves until the process ends. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        List<AutoCloseable> started;
        try {
            started = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("crmsync-testkit: " + e.getMessage());
            System.err.println(USAGE);
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
            throw new IllegalArgumentException("name what to start: efficy, apsis, both or postgres");
        }
        String what = args[0];
        if (what.equals("postgres")) {
            int port = args.length > 2 && args[1].equals("--port") ? intValue(args, 2, "--port", 0, 65535) : 0;
            return List.of(StandalonePostgres.start(port, out));
        }
        if (!List.of("efficy", "apsis", "both").contains(what)) {
            throw new IllegalArgumentException("unknown emulator '" + what + "'");
        }
        int port = 0;
        int efficyPort = 0;
        int apsisPort = 0;
        int contacts = 0;
        long seed = 42;
        int customers = 1;
        int accounts = 1;
        boolean relaxed = false;
        String onDemand = null;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--relaxed":
                    relaxed = true;
                    break;
                case "--on-demand":
                    if (++i >= args.length || !args[i].matches("[a-z0-9-]{1,20}")) {
                        throw new IllegalArgumentException("--on-demand needs a prefix of a-z, 0-9 and -");
                    }
                    onDemand = args[i];
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
                case "--customers":
                    customers = intValue(args, ++i, option, 1, 10_000);
                    break;
                case "--accounts":
                    accounts = intValue(args, ++i, option, 1, 10_000);
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
            out.println("Efficy emulator: " + efficy.baseUri() + "/crm  (JSON-RPC at /crm/json, admin at /_admin)");
            if (onDemand != null) {
                efficy.customersOnDemand(onDemand);
                out.println("  customers " + onDemand + "*: made on first use, API key <alias>-key");
            }
            for (int n = 1; n <= customers; n++) {
                EfficyEmulator customer = n == 1 ? efficy : efficy.addCustomer("demo" + n, "test-api-key-" + n);
                if (contacts > 0) {
                    customer.seedContacts(contacts, seed + n - 1);
                }
                out.println("  customer: " + customer.customer() + "   API key: " + customer.apiKey()
                        + "   user/password: APIUSER/secret   contacts: " + customer.contactCount());
            }
        }
        if (what.equals("apsis") || what.equals("both")) {
            ApsisEmulator apsis = ApsisEmulator.builder()
                    .port(what.equals("both") ? apsisPort : port)
                    .limits(relaxed ? ApsisLimits.relaxed() : ApsisLimits.documented())
                    .start();
            started.add(apsis);
            out.println("APSIS One emulator: " + apsis.baseUri() + "  (admin at /_admin; rate limits: "
                    + (relaxed ? "off" : "as documented") + ")");
            if (onDemand != null) {
                apsis.accountsOnDemand(onDemand);
                out.println("  accounts " + onDemand + "*: made on first use, secret <client id>-secret");
            }
            for (int n = 1; n <= accounts; n++) {
                ApsisEmulator account = n == 1 ? apsis : apsis.addAccount("test-client-" + n, "test-secret-" + n);
                out.println("  client id: " + account.clientId() + "   client secret: " + account.clientSecret());
            }
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

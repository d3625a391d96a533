package io.crmsync.config.keys;

import static io.crmsync.config.keys.KeyScope.FILE;
import static io.crmsync.config.keys.KeyScope.NODE;
import static io.crmsync.config.keys.KeyScope.SPRING;
import static io.crmsync.config.keys.KeyScope.TENANT;

import java.time.Duration;

/**
 * The keys of the hosts around a pair: the state store, the jobs and their schedules, the webhooks, serve and the Spring starter. Declared once; {@link CrmsyncKeys#registry()} holds them with the families.
 */
public final class HostKeys {

    private static final String STATE = "State store";
    private static final String JOBS = "Jobs and schedules";
    private static final String HOOKS = "Webhooks";
    private static final String SERVE = "serve (and a cluster node's HTTP side)";
    private static final String STARTER = "Spring Boot starter";
    private static final String CONSOLE = "Console";

    private HostKeys() {}

    // --- State -------------------------------------------------------------------------------------

    /** The state store's JDBC URL. */
    public static final ConfigKey<String> STATE_JDBC_URL = ConfigKey.of("state.jdbcUrl", ValueType.TEXT)
            .group(STATE)
            .defaultValue("jdbc:h2:file:./crmsync-state")
            .doc("The state store: an H2 file for one instance, PostgreSQL for several sharing one store (the starter"
                    + " uses the application's DataSource when it has one)")
            .in(FILE, SPRING)
            .build();
    /** The store's user. */
    public static final ConfigKey<String> STATE_USER = ConfigKey.of("state.user", ValueType.TEXT)
            .group(STATE)
            .doc("The state store's database user")
            .in(FILE, SPRING)
            .build();
    /** The store's password. */
    public static final ConfigKey<String> STATE_PASSWORD = ConfigKey.of("state.password", ValueType.TEXT)
            .group(STATE)
            .secret()
            .doc("The state store's database password")
            .in(FILE, SPRING)
            .build();
    /** Whether the store applies its DDL. */
    public static final ConfigKey<Boolean> STATE_MIGRATE = ConfigKey.of("state.migrate", ValueType.BOOLEAN)
            .group(STATE)
            .defaultValue(true)
            .doc("Whether the store creates its tables (false: apply the shipped DDL yourself)")
            .in(FILE, SPRING)
            .build();

    // --- Jobs --------------------------------------------------------------------------------------

    /** The poll's interval. */
    public static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.of("schedule.pollInterval", ValueType.INTERVAL)
            .group(JOBS)
            .defaultValue(Duration.ofMinutes(1))
            .formerly("serve.pollInterval")
            .doc("How often changed contacts are polled from Efficy")
            .in(FILE, SPRING, TENANT)
            .build();
    /** Reverse sync's interval. */
    public static final ConfigKey<Duration> REVERSE_INTERVAL = ConfigKey.of(
                    "schedule.reverseInterval", ValueType.INTERVAL)
            .group(JOBS)
            .defaultValue(Duration.ZERO)
            .formerly("serve.reverseInterval")
            .doc("How often e-mail events are brought back into Efficy; off by default (it writes the Acti field"
                    + " response.sourceField, which a stock Efficy lacks)")
            .example("PT15M")
            .in(FILE, SPRING, TENANT)
            .build();
    /** Query tags' interval. */
    public static final ConfigKey<Duration> QUERY_INTERVAL = ConfigKey.of("schedule.queryInterval", ValueType.INTERVAL)
            .group(JOBS)
            .defaultValue(Duration.ofHours(1))
            .formerly("serve.queryInterval")
            .doc("How often stored queries (query.<n>.*) are synced as tags")
            .in(FILE, SPRING, TENANT)
            .build();
    /** Whether an empty store starts with a full sync. */
    public static final ConfigKey<Boolean> FULL_SYNC_ON_EMPTY_STORE = ConfigKey.of(
                    "fullSync.onEmptyStore", ValueType.BOOLEAN)
            .group(JOBS)
            .defaultValue(true)
            .doc("Whether a store that has never synced starts with a full sync (by import) instead of a poll")
            .in(FILE, SPRING, TENANT)
            .build();

    // --- Webhooks ----------------------------------------------------------------------------------

    /** The Efficy webhook's secret. */
    public static final ConfigKey<String> EFFICY_WEBHOOK_SECRET = ConfigKey.of("webhooks.efficySecret", ValueType.TEXT)
            .group(HOOKS)
            .secret()
            .formerly("serve.efficyWebhookSecret")
            .doc("Turns the Efficy change webhook on: the secret (16+ characters) at the end of its URL or in"
                    + " X-Crmsync-Secret")
            .example("${EFFICY_WEBHOOK_SECRET}")
            .in(FILE, SPRING, TENANT)
            .build();
    /** Whether the starter serves the webhooks. */
    public static final ConfigKey<Boolean> WEBHOOKS_ENABLED = ConfigKey.of("webhooks.enabled", ValueType.BOOLEAN)
            .group(HOOKS)
            .defaultValue(false)
            .doc("Whether the Spring application serves the webhook routes")
            .in(SPRING)
            .build();
    /** Where the starter serves the webhooks. */
    public static final ConfigKey<String> WEBHOOKS_PATH = ConfigKey.of("webhooks.path", ValueType.TEXT)
            .group(HOOKS)
            .defaultValue("/webhooks")
            .doc("The path the Spring application serves the webhook routes under")
            .in(SPRING)
            .build();

    // --- serve -------------------------------------------------------------------------------------

    /** The address to listen on. */
    public static final ConfigKey<String> SERVE_ADDRESS = ConfigKey.of("serve.address", ValueType.TEXT)
            .group(SERVE)
            .defaultValue("127.0.0.1")
            .doc("The address serve (or a cluster node) listens on")
            .in(FILE, NODE)
            .build();
    /** The port. */
    public static final ConfigKey<Integer> SERVE_PORT = ConfigKey.of("serve.port", ValueType.integer(0, 65535))
            .group(SERVE)
            .defaultValue(8080)
            .doc("The port serve (or a cluster node) listens on; 0 picks a free one")
            .in(FILE, NODE)
            .build();

    // --- Console -----------------------------------------------------------------------------------

    /** The console's admin token. */
    public static final ConfigKey<String> CONSOLE_TOKEN = ConfigKey.of("console.token", ValueType.TEXT)
            .group(CONSOLE)
            .secret()
            .doc("Turns the web console on (at /console): the admin token (16+ characters) that logs an operator in;"
                    + " without it there is no console")
            .example("${CRMSYNC_CONSOLE_TOKEN}")
            .in(FILE, NODE, SPRING)
            .build();
    /** Where the console is served. */
    public static final ConfigKey<String> CONSOLE_PATH = ConfigKey.of("console.path", ValueType.TEXT)
            .group(CONSOLE)
            .defaultValue("/console")
            .doc("The path the console is served under")
            .in(FILE, NODE, SPRING)
            .build();
    /** Whether the console is served. */
    public static final ConfigKey<Boolean> CONSOLE_ENABLED = ConfigKey.of("console.enabled", ValueType.BOOLEAN)
            .group(CONSOLE)
            .defaultValue(true)
            .doc("false turns the console off even when console.token is set")
            .in(FILE, NODE, SPRING)
            .build();

    // --- Spring Boot -------------------------------------------------------------------------------

    /** Whether the starter configures anything. */
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.of("enabled", ValueType.BOOLEAN)
            .group(STARTER)
            .defaultValue(true)
            .doc("false turns the whole auto-configuration off")
            .in(SPRING)
            .build();
    /** How long the health check's validation is cached. */
    public static final ConfigKey<Duration> HEALTH_CACHE = ConfigKey.of("health.cache", ValueType.POSITIVE_DURATION)
            .group(STARTER)
            .defaultValue(Duration.ofMinutes(5))
            .doc("How long the health indicator caches its setup validation")
            .in(SPRING)
            .build();
    /** Whether unknown keys are errors. */
    public static final ConfigKey<Boolean> STRICT = ConfigKey.of("strict", ValueType.BOOLEAN)
            .group(STARTER)
            .defaultValue(false)
            .doc("An unknown crmsync.* key fails the start instead of logging a warning (the CLI's" + " --strict)")
            .in(SPRING)
            .build();
}

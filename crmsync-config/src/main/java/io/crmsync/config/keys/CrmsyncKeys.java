package io.crmsync.config.keys;

import static io.crmsync.config.keys.KeyScope.FILE;
import static io.crmsync.config.keys.KeyScope.NODE;
import static io.crmsync.config.keys.KeyScope.SPRING;
import static io.crmsync.config.keys.KeyScope.TENANT;

import io.crmsync.apsis.Region;
import io.crmsync.apsis.export.EmailEventType;
import io.crmsync.sync.DeletedContactPolicy;
import io.crmsync.sync.StopMatchingPolicy;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The standard keys: one Efficy–APSIS pair, its state store, its schedules and webhooks, and the
 * hosts' own settings. Every host reads these; the cluster adds its node keys
 * ({@code io.crmsync.cluster.ClusterKeys}). Defaults come from the builders' {@code DEFAULT_*}
 * constants where a builder has one. The generated table is {@code docs/CONFIGURATION.md}.
 */
public final class CrmsyncKeys {

    private static final String EFFICY = "Efficy Enterprise";
    private static final String APSIS = "APSIS One";
    private static final String SYNC = "Sync";
    private static final String RESPONSES = "Responses and tasks back into Efficy";
    private static final String STATE = "State store";
    private static final String JOBS = "Jobs and schedules";
    private static final String HOOKS = "Webhooks";
    private static final String SERVE = "serve (and a cluster node's HTTP side)";
    private static final String STARTER = "Spring Boot starter";

    private CrmsyncKeys() {}

    // --- Efficy ------------------------------------------------------------------------------------

    /** Efficy's base URL. */
    public static final ConfigKey<String> EFFICY_URL = ConfigKey.of("efficy.url", ValueType.TEXT)
            .group(EFFICY)
            .doc("Efficy's base URL, with or without the trailing /crm (requests go to <base>/crm/json)")
            .example("https://mycompany.efficy.cloud/crm")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The customer (database) alias. */
    public static final ConfigKey<String> EFFICY_CUSTOMER = ConfigKey.of("efficy.customer", ValueType.TEXT)
            .group(EFFICY)
            .doc("Customer (database) alias, sent as X-Efficy-Customer; needed when customers share a URL")
            .example("mycompany")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The API key. */
    public static final ConfigKey<String> EFFICY_API_KEY = ConfigKey.of("efficy.apiKey", ValueType.TEXT)
            .group(EFFICY)
            .secret()
            .doc("API key from Designer > Security > API Keys (its whitelist must include json)")
            .example("${EFFICY_API_KEY}")
            .in(FILE, SPRING, TENANT)
            .build();
    /** A user code, instead of the API key. */
    public static final ConfigKey<String> EFFICY_USER = ConfigKey.of("efficy.user", ValueType.TEXT)
            .group(EFFICY)
            .doc("A user code to log in with instead of the API key (with efficy.password)")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The user's password. */
    public static final ConfigKey<String> EFFICY_PASSWORD = ConfigKey.of("efficy.password", ValueType.TEXT)
            .group(EFFICY)
            .secret()
            .doc("The password of efficy.user")
            .in(FILE, SPRING, TENANT)
            .build();
    /** Whether plain http is allowed beyond loopback. */
    public static final ConfigKey<Boolean> EFFICY_INSECURE = ConfigKey.of("efficy.allowInsecureHttp", ValueType.BOOLEAN)
            .group(EFFICY)
            .defaultValue(false)
            .doc("Allow a plain http:// Efficy URL beyond 127.0.0.1 and localhost")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The zone of D_CHANGE. */
    public static final ConfigKey<ZoneId> EFFICY_TIME_ZONE = ConfigKey.of("efficy.timeZone", ValueType.ZONE)
            .group(EFFICY)
            .defaultValue(SyncEngine.Builder.DEFAULT_EFFICY_TIME_ZONE)
            .doc("Time zone of Efficy's D_CHANGE values (the protocol notes do not say which)")
            .in(FILE, SPRING, TENANT)
            .build();

    // --- APSIS -------------------------------------------------------------------------------------

    /** The APSIS region. */
    public static final ConfigKey<Region> APSIS_REGION = ConfigKey.of("apsis.region", ValueType.choice(Region.class))
            .group(APSIS)
            .defaultValue(Region.EU)
            .doc("EU (https://api.apsis.one) or APAC; or set apsis.baseUrl instead")
            .in(FILE, SPRING, TENANT)
            .build();
    /** APSIS's base URL, instead of a region. */
    public static final ConfigKey<String> APSIS_BASE_URL = ConfigKey.of("apsis.baseUrl", ValueType.TEXT)
            .group(APSIS)
            .doc("APSIS's base URL, instead of apsis.region (the emulators, a proxy)")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The client id. */
    public static final ConfigKey<String> APSIS_CLIENT_ID = ConfigKey.of("apsis.clientId", ValueType.TEXT)
            .group(APSIS)
            .doc("API key (client credentials) id from APSIS One's account settings")
            .example("${APSIS_CLIENT_ID}")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The client secret. */
    public static final ConfigKey<String> APSIS_CLIENT_SECRET = ConfigKey.of("apsis.clientSecret", ValueType.TEXT)
            .group(APSIS)
            .secret()
            .doc("API key (client credentials) secret")
            .example("${APSIS_CLIENT_SECRET}")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The section. */
    public static final ConfigKey<String> APSIS_SECTION = ConfigKey.of("apsis.section", ValueType.TEXT)
            .group(APSIS)
            .doc("The section profiles are synced into")
            .example("com.apsis1.sections.default")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The keyspace. */
    public static final ConfigKey<String> APSIS_KEYSPACE = ConfigKey.of("apsis.keyspace", ValueType.TEXT)
            .group(APSIS)
            .defaultValue(SyncEngine.Builder.DEFAULT_KEYSPACE)
            .doc("The keyspace of the profile keys (the Efficy contact keys)")
            .in(FILE, SPRING, TENANT)
            .build();
    /** Where import files go. */
    public static final ConfigKey<Path> APSIS_IMPORT_DIRECTORY = ConfigKey.of("apsis.importDirectory", ValueType.PATH)
            .group(APSIS)
            .doc("Where full-sync import files (personal data) are written, owner-only; default a directory"
                    + " of the user's under the system's temporary directory")
            .in(FILE, SPRING, TENANT)
            .build();
    /** Whether plain http is allowed beyond loopback. */
    public static final ConfigKey<Boolean> APSIS_INSECURE = ConfigKey.of("apsis.allowInsecureHttp", ValueType.BOOLEAN)
            .group(APSIS)
            .defaultValue(false)
            .doc("Allow a plain http:// APSIS URL beyond 127.0.0.1 and localhost")
            .in(FILE, SPRING, TENANT)
            .build();

    // --- Sync --------------------------------------------------------------------------------------

    /** Writer threads. */
    public static final ConfigKey<Integer> SYNC_CONCURRENCY = ConfigKey.of("sync.concurrency", ValueType.integer(1, 64))
            .group(SYNC)
            .defaultValue(SyncEngine.Builder.DEFAULT_CONCURRENCY)
            .doc("Threads writing to APSIS at once (APSIS's limits are kept whatever this is)")
            .in(FILE, SPRING, TENANT)
            .build();
    /** Clock skew. */
    public static final ConfigKey<Duration> SYNC_CLOCK_SKEW = ConfigKey.of("sync.clockSkew", ValueType.INTERVAL)
            .group(SYNC)
            .defaultValue(SyncEngine.Builder.DEFAULT_CLOCK_SKEW)
            .doc(
                    "How far this clock may run ahead of Efficy's: a full sync leaves the poll cursor at its start less this")
            .in(FILE, SPRING, TENANT)
            .build();
    /** What an Efficy delete does. */
    public static final ConfigKey<DeletedContactPolicy> SYNC_DELETED_CONTACT = ConfigKey.of(
                    "sync.deletedContact", ValueType.choice(DeletedContactPolicy.class))
            .group(SYNC)
            .defaultValue(SyncEngine.Builder.DEFAULT_DELETED_CONTACT)
            .doc("What an Efficy webhook Delete does")
            .in(FILE, SPRING, TENANT)
            .build();
    /** What a contact that stops matching gets. */
    public static final ConfigKey<StopMatchingPolicy> SYNC_STOP_MATCHING = ConfigKey.of(
                    "sync.stopMatching", ValueType.choice(StopMatchingPolicy.class))
            .group(SYNC)
            .defaultValue(SyncEngine.Builder.DEFAULT_STOP_MATCHING)
            .doc("What happens to a synced contact that stops matching")
            .in(FILE, SPRING, TENANT)
            .build();

    // --- Responses and tasks -----------------------------------------------------------------------

    /** Reverse sync's window. */
    public static final ConfigKey<Duration> REVERSE_WINDOW = ConfigKey.of("reverse.window", ValueType.POSITIVE_DURATION)
            .group(RESPONSES)
            .defaultValue(SyncEngine.Builder.DEFAULT_REVERSE_WINDOW)
            .doc("Reverse sync's export window (APSIS allows one export a minute)")
            .in(FILE, SPRING, TENANT)
            .build();
    /** Reverse sync's first look-back. */
    public static final ConfigKey<Duration> REVERSE_FIRST_LOOKBACK = ConfigKey.of(
                    "reverse.firstLookback", ValueType.INTERVAL)
            .group(RESPONSES)
            .defaultValue(SyncEngine.Builder.DEFAULT_REVERSE_LOOKBACK)
            .doc("How far back the first reverse sync starts")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The Acti source-id field. */
    public static final ConfigKey<String> RESPONSE_SOURCE_FIELD = ConfigKey.of("response.sourceField", ValueType.TEXT)
            .group(RESPONSES)
            .defaultValue(ResponseMapping.DEFAULT_SOURCE_FIELD)
            .doc(
                    "Acti field holding each record's source id, so a retry finds it (a customer field: add it in Designer)")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The Acti event-type field. */
    public static final ConfigKey<String> RESPONSE_EVENT_TYPE_FIELD = ConfigKey.of(
                    "response.eventTypeField", ValueType.TEXT)
            .group(RESPONSES)
            .doc("Acti field receiving the event type; none by default (a stock Efficy has none; the subject names it)")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The task webhook's secret. */
    public static final ConfigKey<String> TASK_SECRET = ConfigKey.of("taskWebhook.secret", ValueType.TEXT)
            .group(RESPONSES)
            .secret()
            .doc("Turns the APSIS task webhook on: its shared secret (16+ characters)")
            .example("${CRMSYNC_TASK_SECRET}")
            .in(FILE, SPRING, TENANT)
            .build();
    /** How the task secret is presented. */
    public static final ConfigKey<TaskWebhookConfig.Mode> TASK_MODE = ConfigKey.of(
                    "taskWebhook.mode", ValueType.choice(TaskWebhookConfig.Mode.class))
            .group(RESPONSES)
            .defaultValue(TaskWebhookConfig.Mode.BEARER)
            .doc("BEARER (Authorization: Bearer <secret>) or HMAC (HMAC-SHA256 of the body in taskWebhook.header)")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The HMAC header. */
    public static final ConfigKey<String> TASK_HEADER = ConfigKey.of("taskWebhook.header", ValueType.TEXT)
            .group(RESPONSES)
            .defaultValue(TaskWebhookConfig.DEFAULT_SIGNATURE_HEADER)
            .doc("The header holding the HMAC signature")
            .in(FILE, SPRING, TENANT)
            .build();
    /** The fallback assignee. */
    public static final ConfigKey<String> TASK_DEFAULT_USER = ConfigKey.of("taskWebhook.defaultUser", ValueType.TEXT)
            .group(RESPONSES)
            .doc("Efficy user code tasks fall back to when the payload's assignee is unknown")
            .example("JDOE")
            .in(FILE, SPRING, TENANT)
            .build();

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

    // --- Families ----------------------------------------------------------------------------------

    private static final Set<KeyScope> PAIR = Set.of(FILE, SPRING, TENANT);

    /** The families. */
    public static final List<KeyFamily> FAMILIES = List.of(
            new KeyFamily(
                    "mapping.<FIELD>",
                    "An Efficy contact field mapped to an APSIS attribute:"
                            + " <attribute discriminator>[:TEXT|NUMBER|BOOLEAN|DATE]",
                    List.of(
                            "mapping.EMAIL1=com.apsis1.attributes.email",
                            "mapping.MOBILE=com.apsis1.attributes.mobile",
                            "mapping.FIRSTNAME=com.apsis1.attributes.firstname",
                            "mapping.NAME=com.apsis1.attributes.lastname"),
                    SYNC,
                    PAIR,
                    List.of()),
            new KeyFamily(
                    "consent.<n>.checkbox",
                    "An Efficy checkbox field whose tick is consent (or consent.<n>.profile)",
                    List.of("consent.1.checkbox=F_NEWSLETTER"),
                    SYNC,
                    PAIR,
                    List.of()),
            new KeyFamily(
                    "consent.<n>.profile",
                    "An Efficy Profile (K_PROFILE) whose membership is consent",
                    List.of("consent.2.profile=2"),
                    SYNC,
                    PAIR,
                    List.of()),
            new KeyFamily(
                    "consent.<n>.topic",
                    "The APSIS topic the consent is for",
                    List.of(
                            "consent.1.topic=usercreated.topics.newsletter-ab12cd34ef",
                            "consent.2.topic=usercreated.topics.offers-cd34ef56gh"),
                    SYNC,
                    PAIR,
                    List.of()),
            new KeyFamily(
                    "consent.<n>.channel",
                    "email (default), sms, or a channel discriminator",
                    List.of("consent.1.channel=email", "consent.2.channel=email"),
                    SYNC,
                    PAIR,
                    List.of()),
            new KeyFamily(
                    "condition.<n>.field",
                    "A contact field a sync condition tests (all conditions must hold)",
                    List.of("condition.1.field=OPENED"),
                    SYNC,
                    PAIR,
                    List.of()),
            new KeyFamily(
                    "condition.<n>.op",
                    "equals (default), notEquals, in or notEmpty",
                    List.of("condition.1.op=equals"),
                    SYNC,
                    PAIR,
                    List.of()),
            new KeyFamily(
                    "condition.<n>.value",
                    "The value (for in: comma-separated values)",
                    List.of("condition.1.value=1"),
                    SYNC,
                    PAIR,
                    List.of()),
            new KeyFamily(
                    "query.<n>.key",
                    "An Efficy stored query (K_QUERY) synced as a tag",
                    List.of(),
                    SYNC,
                    PAIR,
                    List.of()),
            new KeyFamily("query.<n>.tag", "The APSIS tag its members carry", List.of(), SYNC, PAIR, List.of()),
            new KeyFamily(
                    "response.<TYPE>",
                    "What an e-mail event writes to Efficy: history, eventTime:<FIELD>,"
                            + " set:<FIELD>=<VALUE> or none (default history for all but ABUSE)",
                    List.of(
                            "response.OPENED=history,eventTime:F_LAST_OPENED",
                            "response.BOUNCED=history,set:F_BOUNCED=1"),
                    RESPONSES,
                    PAIR,
                    Arrays.stream(EmailEventType.values()).map(Enum::name).toList()));

    /** Every standard key. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            EFFICY_URL,
            EFFICY_CUSTOMER,
            EFFICY_API_KEY,
            EFFICY_USER,
            EFFICY_PASSWORD,
            EFFICY_INSECURE,
            EFFICY_TIME_ZONE,
            APSIS_REGION,
            APSIS_BASE_URL,
            APSIS_CLIENT_ID,
            APSIS_CLIENT_SECRET,
            APSIS_SECTION,
            APSIS_KEYSPACE,
            APSIS_IMPORT_DIRECTORY,
            APSIS_INSECURE,
            SYNC_CONCURRENCY,
            SYNC_CLOCK_SKEW,
            SYNC_DELETED_CONTACT,
            SYNC_STOP_MATCHING,
            REVERSE_WINDOW,
            REVERSE_FIRST_LOOKBACK,
            RESPONSE_SOURCE_FIELD,
            RESPONSE_EVENT_TYPE_FIELD,
            TASK_SECRET,
            TASK_MODE,
            TASK_HEADER,
            TASK_DEFAULT_USER,
            STATE_JDBC_URL,
            STATE_USER,
            STATE_PASSWORD,
            STATE_MIGRATE,
            POLL_INTERVAL,
            REVERSE_INTERVAL,
            QUERY_INTERVAL,
            FULL_SYNC_ON_EMPTY_STORE,
            EFFICY_WEBHOOK_SECRET,
            WEBHOOKS_ENABLED,
            WEBHOOKS_PATH,
            SERVE_ADDRESS,
            SERVE_PORT,
            ENABLED,
            HEALTH_CACHE,
            STRICT);

    private static final KeyRegistry REGISTRY = KeyRegistry.of(KEYS, FAMILIES);

    /** The standard keys as a registry. */
    public static KeyRegistry registry() {
        return REGISTRY;
    }
}

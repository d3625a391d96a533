package io.crmsync.config.keys;

import static io.crmsync.config.keys.KeyScope.FILE;
import static io.crmsync.config.keys.KeyScope.SPRING;
import static io.crmsync.config.keys.KeyScope.TENANT;

import io.crmsync.apsis.export.EmailEventType;
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

    private static final String SYNC = "Sync";
    private static final String RESPONSES = "Responses and tasks back into Efficy";

    private CrmsyncKeys() {}

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
            PairKeys.EFFICY_URL,
            PairKeys.EFFICY_CUSTOMER,
            PairKeys.EFFICY_API_KEY,
            PairKeys.EFFICY_USER,
            PairKeys.EFFICY_PASSWORD,
            PairKeys.EFFICY_INSECURE,
            PairKeys.EFFICY_TIME_ZONE,
            PairKeys.APSIS_REGION,
            PairKeys.APSIS_BASE_URL,
            PairKeys.APSIS_CLIENT_ID,
            PairKeys.APSIS_CLIENT_SECRET,
            PairKeys.APSIS_SECTION,
            PairKeys.APSIS_KEYSPACE,
            PairKeys.APSIS_IMPORT_DIRECTORY,
            PairKeys.APSIS_INSECURE,
            PairKeys.SYNC_CONCURRENCY,
            PairKeys.SYNC_CLOCK_SKEW,
            PairKeys.SYNC_DELETED_CONTACT,
            PairKeys.SYNC_STOP_MATCHING,
            PairKeys.REVERSE_WINDOW,
            PairKeys.REVERSE_FIRST_LOOKBACK,
            PairKeys.RESPONSE_SOURCE_FIELD,
            PairKeys.RESPONSE_EVENT_TYPE_FIELD,
            PairKeys.TASK_SECRET,
            PairKeys.TASK_MODE,
            PairKeys.TASK_HEADER,
            PairKeys.TASK_DEFAULT_USER,
            HostKeys.STATE_JDBC_URL,
            HostKeys.STATE_USER,
            HostKeys.STATE_PASSWORD,
            HostKeys.STATE_MIGRATE,
            HostKeys.POLL_INTERVAL,
            HostKeys.REVERSE_INTERVAL,
            HostKeys.QUERY_INTERVAL,
            HostKeys.FULL_SYNC_ON_EMPTY_STORE,
            HostKeys.EFFICY_WEBHOOK_SECRET,
            HostKeys.WEBHOOKS_ENABLED,
            HostKeys.WEBHOOKS_PATH,
            HostKeys.SERVE_ADDRESS,
            HostKeys.SERVE_PORT,
            HostKeys.CONSOLE_TOKEN,
            HostKeys.CONSOLE_ENABLED,
            HostKeys.CONSOLE_PATH,
            HostKeys.ENABLED,
            HostKeys.HEALTH_CACHE,
            HostKeys.STRICT);

    private static final KeyRegistry REGISTRY = KeyRegistry.of(KEYS, FAMILIES);

    /** The standard keys as a registry. */
    public static KeyRegistry registry() {
        return REGISTRY;
    }
}

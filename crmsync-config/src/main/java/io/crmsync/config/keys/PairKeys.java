package io.crmsync.config.keys;

import static io.crmsync.config.keys.KeyScope.FILE;
import static io.crmsync.config.keys.KeyScope.NODE;
import static io.crmsync.config.keys.KeyScope.SPRING;
import static io.crmsync.config.keys.KeyScope.TENANT;

import io.crmsync.apsis.Region;
import io.crmsync.sync.DeletedContactPolicy;
import io.crmsync.sync.StopMatchingPolicy;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The keys of one Efficy–APSIS pair: the two services, the sync, and what goes back into Efficy. Declared once; {@link CrmsyncKeys#registry()} holds them with the families.
 */
public final class PairKeys {

    private static final String EFFICY = "Efficy Enterprise";
    private static final String APSIS = "APSIS One";
    private static final String SYNC = "Sync";
    private static final String RESPONSES = "Responses and tasks back into Efficy";

    private PairKeys() {}

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
            .in(FILE, SPRING)
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
                    + " of the user's under the system's temporary directory. In a cluster, the node's setting"
                    + " for every tenant")
            .in(FILE, SPRING, NODE)
            .build();
    /** Whether plain http is allowed beyond loopback. */
    public static final ConfigKey<Boolean> APSIS_INSECURE = ConfigKey.of("apsis.allowInsecureHttp", ValueType.BOOLEAN)
            .group(APSIS)
            .defaultValue(false)
            .doc("Allow a plain http:// APSIS URL beyond 127.0.0.1 and localhost")
            .in(FILE, SPRING)
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
}

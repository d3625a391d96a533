package io.crmsync.cluster;

import static io.crmsync.config.keys.KeyScope.NODE;

import io.crmsync.config.keys.ConfigKey;
import io.crmsync.config.keys.CrmsyncKeys;
import io.crmsync.config.keys.KeyRegistry;
import io.crmsync.config.keys.ValueType;
import java.time.Duration;
import java.util.List;

/**
 * A cluster node's keys ({@code cluster.*}, in the node's file beside {@code serve.address} and
 * {@code serve.port}), declared once, with the defaults of {@link ClusterNode.Builder}'s
 * {@code DEFAULT_*} constants. {@link #registry()} is the standard keys and these: what the CLI
 * reads. {@link NodeRuntime#open} builds a node from them.
 */
public final class ClusterKeys {

    private static final String GROUP = "Cluster node";

    private ClusterKeys() {}

    /** The cluster's PostgreSQL. */
    public static final ConfigKey<String> JDBC_URL = ConfigKey.of("cluster.jdbcUrl", ValueType.TEXT)
            .group(GROUP)
            .doc("The PostgreSQL every node shares (jdbc:postgresql://...)")
            .example("jdbc:postgresql://db.internal:5432/crmsync")
            .in(NODE)
            .build();
    /** Its user. */
    public static final ConfigKey<String> USER = ConfigKey.of("cluster.user", ValueType.TEXT)
            .group(GROUP)
            .doc("The cluster database's user")
            .in(NODE)
            .build();
    /** Its password. */
    public static final ConfigKey<String> PASSWORD = ConfigKey.of("cluster.password", ValueType.TEXT)
            .group(GROUP)
            .secret()
            .doc("The cluster database's password")
            .in(NODE)
            .build();
    /** Which secret names tenants' references may use. */
    public static final ConfigKey<SecretNamespace> SECRET_NAMES = ConfigKey.of(
                    "cluster.secretNames",
                    ValueType.text("name pattern", SecretNamespace::of, SecretNamespace::pattern))
            .group(GROUP)
            .defaultValue(SecretNamespace.defaults())
            .doc("The names a tenant's references may use: an optional prefix, {TENANT} (its id in upper case, "
                    + "- as _), then _* (letters and digits)")
            .in(NODE)
            .build();
    /** Which hosts tenants' URLs may name. */
    public static final ConfigKey<List<String>> TENANT_HOSTS = ConfigKey.of(
                    "cluster.tenantHosts",
                    ValueType.text("host patterns, comma-separated", TenantUrls::parseHosts, h -> String.join(",", h)))
            .group(GROUP)
            .defaultValue(List.of(TenantUrls.ANY_PUBLIC))
            .doc("The hosts a tenant's efficy.url and apsis.baseUrl may name: * for any host with only public "
                    + "addresses, *.domain, or a host")
            .example("*.efficy.cloud,api.apsis.one")
            .in(NODE)
            .build();
    /** Whether tenants may use plain http. */
    public static final ConfigKey<Boolean> ALLOW_INSECURE_HTTP = ConfigKey.of(
                    "cluster.allowInsecureHttp", ValueType.BOOLEAN)
            .group(GROUP)
            .defaultValue(false)
            .doc("Let tenants' URLs be plain http:// (emulators, tests); otherwise https only")
            .in(NODE)
            .build();
    /** The node's pool. */
    public static final ConfigKey<Integer> POOL_SIZE = ConfigKey.of("cluster.poolSize", ValueType.integer(2, 200))
            .group(GROUP)
            .defaultValue(NodeRuntime.DEFAULT_POOL_SIZE)
            .doc("Connections the node keeps to the cluster database")
            .in(NODE)
            .build();
    /** The node's name. */
    public static final ConfigKey<String> NODE_NAME = ConfigKey.of("cluster.nodeName", ValueType.TEXT)
            .group(GROUP)
            .doc("The node's name, unique in the cluster; default <host>-<pid>")
            .in(NODE)
            .build();
    /** Threads. */
    public static final ConfigKey<Integer> THREADS = ConfigKey.of("cluster.threads", ValueType.integer(1, 256))
            .group(GROUP)
            .defaultValue(ClusterNode.Builder.DEFAULT_THREADS)
            .doc("Threads running tenants' jobs")
            .in(NODE)
            .build();
    /** Tenants with a poll lag series of their own. */
    public static final ConfigKey<Integer> POLL_LAG_TENANTS = ConfigKey.of(
                    "cluster.pollLagTenants", ValueType.integer(0, PollLags.WORST))
            .group(GROUP)
            .defaultValue(20)
            .doc("How many tenants, the furthest behind, get a crmsync_cluster_poll_lag_seconds series of their own"
                    + " (the worst lag and the count of lagging tenants cover them all)")
            .in(NODE)
            .build();
    /** Threads kept for revived work. */
    public static final ConfigKey<Integer> RESERVED_THREADS = ConfigKey.of(
                    "cluster.reservedThreads", ValueType.integer(0, 256))
            .group(GROUP)
            .doc("Threads beside cluster.threads kept for a dead node's revived runs (default a quarter of"
                    + " cluster.threads, at least one)")
            .in(NODE)
            .build();
    /** Heartbeat. */
    public static final ConfigKey<Duration> HEARTBEAT = ConfigKey.of(
                    "cluster.heartbeatInterval", ValueType.POSITIVE_DURATION)
            .group(GROUP)
            .defaultValue(ClusterNode.Builder.DEFAULT_HEARTBEAT)
            .doc("How often the node beats")
            .in(NODE)
            .build();
    /** Missed beats. */
    public static final ConfigKey<Integer> MISSED_HEARTBEATS = ConfigKey.of(
                    "cluster.missedHeartbeats", ValueType.integer(3, 100))
            .group(GROUP)
            .defaultValue(ClusterNode.Builder.DEFAULT_MISSED_HEARTBEATS)
            .doc("Missed beats after which a node is dead and its work moves elsewhere")
            .in(NODE)
            .build();
    /** Polling. */
    public static final ConfigKey<Duration> POLLING_INTERVAL = ConfigKey.of(
                    "cluster.pollingInterval", ValueType.POSITIVE_DURATION)
            .group(GROUP)
            .defaultValue(ClusterNode.Builder.DEFAULT_POLLING_INTERVAL)
            .doc("How often the node looks for due work besides immediate execution")
            .in(NODE)
            .build();
    /** Engines cached. */
    public static final ConfigKey<Integer> ENGINE_CACHE = ConfigKey.of(
                    "cluster.engineCache", ValueType.integer(1, 100_000))
            .group(GROUP)
            .defaultValue(ClusterNode.Builder.DEFAULT_ENGINE_CACHE)
            .doc("Tenants' engines the node keeps built")
            .in(NODE)
            .build();
    /** The shared APSIS budget. */
    public static final ConfigKey<Double> APSIS_RATE = ConfigKey.of(
                    "cluster.apsisRequestsPerSecond", ValueType.POSITIVE_NUMBER)
            .group(GROUP)
            .defaultValue(SharedAccountBudget.DEFAULT_RATE)
            .doc("APSIS requests per second per account, across the cluster (APSIS allows 100)")
            .in(NODE)
            .build();
    /** Journal retention. */
    public static final ConfigKey<Duration> JOURNAL_RETENTION = ConfigKey.of(
                    "cluster.journalRetention", ValueType.POSITIVE_DURATION)
            .group(GROUP)
            .defaultValue(ClusterNode.Builder.DEFAULT_JOURNAL_RETENTION)
            .doc("How long the run journal keeps a run")
            .in(NODE)
            .build();
    /** First retry. */
    public static final ConfigKey<Duration> RETRY_FIRST = ConfigKey.of(
                    "cluster.retryFirst", ValueType.POSITIVE_DURATION)
            .group(GROUP)
            .defaultValue(ClusterNode.Builder.DEFAULT_RETRY_FIRST)
            .doc("The first wait after a full sync or delivery failed")
            .in(NODE)
            .build();
    /** Longest retry. */
    public static final ConfigKey<Duration> RETRY_MAX = ConfigKey.of("cluster.retryMax", ValueType.POSITIVE_DURATION)
            .group(GROUP)
            .defaultValue(ClusterNode.Builder.DEFAULT_RETRY_MAX)
            .doc("The longest wait between retries (the wait doubles up to it)")
            .in(NODE)
            .build();
    /** Give-up. */
    public static final ConfigKey<Integer> RETRY_ATTEMPTS = ConfigKey.of(
                    "cluster.retryAttempts", ValueType.integer(1, 1000))
            .group(GROUP)
            .defaultValue(ClusterNode.Builder.DEFAULT_RETRY_ATTEMPTS)
            .doc("Failures in a row after which a full sync or delivery is given up")
            .in(NODE)
            .build();

    /** The node keys. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            JDBC_URL,
            USER,
            PASSWORD,
            POOL_SIZE,
            SECRET_NAMES,
            TENANT_HOSTS,
            ALLOW_INSECURE_HTTP,
            NODE_NAME,
            THREADS,
            RESERVED_THREADS,
            POLL_LAG_TENANTS,
            HEARTBEAT,
            MISSED_HEARTBEATS,
            POLLING_INTERVAL,
            ENGINE_CACHE,
            APSIS_RATE,
            JOURNAL_RETENTION,
            RETRY_FIRST,
            RETRY_MAX,
            RETRY_ATTEMPTS);

    private static final KeyRegistry REGISTRY = CrmsyncKeys.registry().with(KeyRegistry.of(KEYS, List.of()));

    /** The standard keys and the node keys. */
    public static KeyRegistry registry() {
        return REGISTRY;
    }
}

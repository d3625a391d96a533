package io.crmsync.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.PairKeys;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster node and its database pool, assembled from a node's configuration
 * ({@link ClusterKeys}): HikariCP on {@code cluster.jdbcUrl} (db-scheduler and every tenant's store
 * borrow connections many times a second), and a {@link ClusterNode} (not started) with the
 * node's settings. Closing it stops the node, then the pool.
 *
 * <p>A database that does not answer (a connection failure, or PostgreSQL still starting) is not
 * a configuration error: {@link #open(CrmsyncConfig, SecretResolver, StartWait)} tries again
 * after 1 s, doubling up to 30 s, for as long as its {@link StartWait} says, and then throws
 * {@link ClusterDatabaseUnavailableException}. A database that answers and refuses (a wrong
 * password, no such database) is a {@link ConfigException} naming {@code cluster.jdbcUrl}.
 *
 * <pre>{@code
 * CrmsyncConfig file = new CrmsyncConfig(CrmsyncConfig.load(path), env, Map.of(), new Properties(),
 *     ClusterKeys.registry());
 * try (NodeRuntime runtime = NodeRuntime.open(file, SecretResolver.environment())) {
 *   runtime.node().start();
 * }
 * }</pre>
 */
public final class NodeRuntime implements AutoCloseable {

    /** Connections in the node's pool unless {@code cluster.poolSize} says otherwise. */
    public static final int DEFAULT_POOL_SIZE = 16;

    /** The first wait after a failed attempt to reach the database at start. */
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    /** The longest wait between attempts to reach the database at start. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    /** What a node does while its database does not answer at start. */
    @FunctionalInterface
    public interface StartWait {

        /** Give up at once: the database must answer at the first attempt. */
        StartWait NONE = (wait, why) -> false;

        /**
         * Called after each attempt that found the database not answering.
         *
         * @param wait how long until the next attempt, if any
         * @param why what failed, naming the host and never a password
         * @return whether to try again after {@code wait} (the call may wait itself, or return at once)
         * @throws InterruptedException when the node is told to stop while waiting
         */
        boolean tryAgainAfter(Duration wait, String why) throws InterruptedException;
    }

    private final HikariDataSource pool;
    private final ClusterNode node;

    private NodeRuntime(HikariDataSource pool, ClusterNode node) {
        this.pool = pool;
        this.node = node;
    }

    /**
     * Opens the pool and builds the node; the database must answer at once.
     *
     * @throws ConfigException naming the key at fault, or {@code cluster.jdbcUrl} when the database
     *     refuses the connection
     * @throws ClusterDatabaseUnavailableException when the database does not answer
     */
    public static NodeRuntime open(CrmsyncConfig config, SecretResolver secrets) {
        return open(config, secrets, StartWait.NONE);
    }

    /**
     * Opens the pool and builds the node, trying again while the database does not answer for as
     * long as {@code wait} says.
     *
     * @throws ConfigException naming the key at fault, or {@code cluster.jdbcUrl} when the database
     *     refuses the connection
     * @throws ClusterDatabaseUnavailableException when the database does not answer and
     *     {@code wait} gave up
     */
    public static NodeRuntime open(CrmsyncConfig config, SecretResolver secrets, StartWait wait) {
        return open(config, secrets, wait, null);
    }

    /**
     * As {@link #open(CrmsyncConfig, SecretResolver, StartWait)}, with the pool's statistics
     * (connections active, idle, pending; wait and use times) in {@code meterRegistry}: a Micrometer
     * {@code MeterRegistry}, handed to HikariCP as it is, or null for none.
     */
    public static NodeRuntime open(CrmsyncConfig config, SecretResolver secrets, StartWait wait, Object meterRegistry) {
        String url = config.require(ClusterKeys.JDBC_URL);
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(ClusterKeys.JDBC_URL.name(), "must be a PostgreSQL URL (jdbc:postgresql://...)");
        }
        // Every key is read before the pool opens, so a bad value is named without a connection.
        int threads = config.get(ClusterKeys.THREADS);
        Integer reserved = config.get(ClusterKeys.RESERVED_THREADS);
        var heartbeat = config.get(ClusterKeys.HEARTBEAT);
        int missed = config.get(ClusterKeys.MISSED_HEARTBEATS);
        var polling = config.get(ClusterKeys.POLLING_INTERVAL);
        int engines = config.get(ClusterKeys.ENGINE_CACHE);
        SecretNamespace secretNames = config.get(ClusterKeys.SECRET_NAMES);
        TenantUrls tenantUrls =
                TenantUrls.of(config.get(ClusterKeys.TENANT_HOSTS), config.get(ClusterKeys.ALLOW_INSECURE_HTTP));
        var importDirectory = config.get(PairKeys.APSIS_IMPORT_DIRECTORY);
        var retention = config.get(ClusterKeys.JOURNAL_RETENTION);
        double rate = config.get(ClusterKeys.APSIS_RATE);
        var retryFirst = config.get(ClusterKeys.RETRY_FIRST);
        var retryMax = config.get(ClusterKeys.RETRY_MAX);
        int retryAttempts = config.get(ClusterKeys.RETRY_ATTEMPTS);
        if (retryMax.compareTo(retryFirst) < 0) {
            throw new ConfigException(
                    ClusterKeys.RETRY_MAX.name(),
                    "must be no shorter than " + ClusterKeys.RETRY_FIRST.name() + " (" + retryFirst + ")");
        }
        String name = config.get(ClusterKeys.NODE_NAME);
        if (name != null && (name.isBlank() || name.length() > 200)) {
            throw new ConfigException(ClusterKeys.NODE_NAME.name(), "must be 1 to 200 characters");
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        String user = config.get(ClusterKeys.USER);
        if (user != null) {
            hc.setUsername(user);
            String password = config.get(ClusterKeys.PASSWORD);
            hc.setPassword(password == null ? "" : password);
        }
        awaitDatabase(url, hc.getUsername(), hc.getPassword(), wait);
        hc.setMaximumPoolSize(config.get(ClusterKeys.POOL_SIZE));
        hc.setPoolName("crmsync-cluster");
        if (meterRegistry != null) {
            hc.setMetricRegistry(meterRegistry);
        }
        hc.setConnectionTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new ConfigException(
                    ClusterKeys.JDBC_URL.name(),
                    "the cluster database cannot be reached: " + CrmsyncConfig.maskUrlSecrets(e.getMessage()));
        }
        try {
            ClusterNode.Builder b = ClusterNode.builder(pool)
                    .secrets(secrets)
                    .secretNames(secretNames)
                    .tenantUrls(tenantUrls)
                    .threads(threads)
                    .heartbeat(heartbeat, missed)
                    .pollingInterval(polling)
                    .engineCache(engines)
                    .journalRetention(retention)
                    .apsisRequestsPerSecond(rate)
                    .retries(retryFirst, retryMax, retryAttempts);
            if (name != null) {
                b.name(name);
            }
            if (reserved != null) {
                b.reservedThreads(reserved);
            }
            if (importDirectory != null) {
                b.importDirectory(importDirectory);
            }
            return new NodeRuntime(pool, b.build());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Connects once, and again after growing waits while the database does not answer. */
    private static void awaitDatabase(String url, String user, String password, StartWait wait) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
            props.setProperty("password", password == null ? "" : password);
        }
        props.setProperty("connectTimeout", "10");
        Duration next = FIRST_WAIT;
        while (true) {
            try (Connection c = DriverManager.getConnection(url, props)) {
                return;
            } catch (SQLException e) {
                String why = describe(url, e);
                if (!doesNotAnswer(e)) {
                    throw new ConfigException(
                            ClusterKeys.JDBC_URL.name(),
                            "the cluster database refused the connection (" + e.getSQLState() + "): " + why);
                }
                boolean again;
                try {
                    again = wait.tryAgainAfter(next, why);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    again = false;
                }
                if (!again) {
                    throw new ClusterDatabaseUnavailableException("the cluster database does not answer: " + why, e);
                }
                next = next.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : next.multipliedBy(2);
            }
        }
    }

    /** What failed, for a person: the database's host and port, the driver's words and their cause. */
    private static String describe(String url, SQLException e) {
        Matcher m = Pattern.compile("//([^/?]+)").matcher(url);
        StringBuilder why = new StringBuilder(m.find() ? m.group(1) + ": " : "");
        why.append(e.getMessage());
        if (e.getCause() != null && e.getCause().getMessage() != null) {
            why.append(" (").append(e.getCause().getMessage()).append(')');
        }
        return CrmsyncConfig.maskUrlSecrets(why.toString());
    }

    /**
     * Whether a failure to connect is the database not answering (SQLSTATE class 08, a connection
     * exception; or 57P03, the server still starting) rather than refusing (a wrong password, no
     * such database).
     */
    static boolean doesNotAnswer(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.equals("57P03");
    }

    /** The node (not started until {@link ClusterNode#start()}). */
    public ClusterNode node() {
        return node;
    }

    /** Stops the node, then closes the pool. */
    @Override
    public void close() {
        try {
            node.close();
        } finally {
            pool.close();
        }
    }
}

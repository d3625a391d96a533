package io.crmsync.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.PairKeys;

/**
 * A cluster node and its database pool, assembled from a node's configuration
 * ({@link ClusterKeys}): HikariCP on {@code cluster.jdbcUrl} (db-scheduler and every tenant's store
 * borrow connections many times a second), and a {@link ClusterNode} (not started) with the
 * node's settings. Closing it stops the node, then the pool.
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

    private final HikariDataSource pool;
    private final ClusterNode node;

    private NodeRuntime(HikariDataSource pool, ClusterNode node) {
        this.pool = pool;
        this.node = node;
    }

    /**
     * Opens the pool and builds the node.
     *
     * @throws ConfigException naming the key at fault, or {@code cluster.jdbcUrl} when the database
     *     cannot be reached
     */
    public static NodeRuntime open(CrmsyncConfig config, SecretResolver secrets) {
        String url = config.require(ClusterKeys.JDBC_URL);
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(ClusterKeys.JDBC_URL.name(), "must be a PostgreSQL URL (jdbc:postgresql://...)");
        }
        // Every key is read before the pool opens, so a bad value is named without a connection.
        int threads = config.get(ClusterKeys.THREADS);
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
        hc.setMaximumPoolSize(config.get(ClusterKeys.POOL_SIZE));
        hc.setPoolName("crmsync-cluster");
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
            if (importDirectory != null) {
                b.importDirectory(importDirectory);
            }
            return new NodeRuntime(pool, b.build());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
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

package io.crmsync.cli;

import io.crmsync.cluster.ClusterKeys;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.KeyScope;
import java.io.PrintStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * What every command of one {@link Cli} shares: the environment, the output streams, the system
 * properties, and the latches that let {@code serve} and {@code cluster} stop. Package-private.
 */
final class CliContext {

    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;
    final Properties system;
    final CountDownLatch stop = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);
    volatile Server server;
    volatile ClusterServer clusterServer;

    CliContext(Map<String, String> env, PrintStream out, PrintStream err, Properties system) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.system = system;
    }

    /**
     * The configuration of a command's file and overrides, read through every key the CLI knows;
     * its warnings for {@code scope} printed, or, with {@code --strict}, an unknown key refused.
     *
     * @throws io.crmsync.config.ConfigException naming the key at fault
     */
    CrmsyncConfig config(ConfigOptions options, KeyScope scope) {
        CrmsyncConfig config = new CrmsyncConfig(
                CrmsyncConfig.load(options.file), env, options.overrides, system, ClusterKeys.registry());
        warn(config, scope, options.strict);
        return config;
    }

    /** Whether a command's file is a cluster node's (it names {@code cluster.jdbcUrl}). */
    static boolean isNodeFile(ConfigOptions options) {
        return CrmsyncConfig.load(options.file).containsKey(ClusterKeys.JDBC_URL.name())
                || options.overrides.containsKey(ClusterKeys.JDBC_URL.name());
    }

    /** Prints a configuration's warnings for {@code scope}; in strict mode refuses unknown keys. */
    void warn(CrmsyncConfig config, KeyScope scope, boolean strict) {
        if (strict) {
            config.requireKnownKeys(scope);
        }
        config.warnings(scope).forEach(w -> err.println("crmsync: warning: " + w));
    }
}

package io.crmsync.cli;

import io.crmsync.cluster.ClusterDatabaseUnavailableException;
import io.crmsync.cluster.ClusterKeys;
import io.crmsync.cluster.ClusterNode;
import io.crmsync.cluster.NodeRuntime;
import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.config.keys.KeyScope;
import io.crmsync.console.Console;
import io.crmsync.micrometer.ClusterMeters;
import io.crmsync.micrometer.ProcessMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmsync cluster}: a node of the cluster and its HTTP side. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Runs a cluster node: every tenant's jobs on db-scheduler, their webhooks under /t/<tenant>/,"
                + " /health and /metrics.")
final class ClusterCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    ConfigOptions options;

    ClusterCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Listens first, then builds the node: while the database does not answer, the node tries again
     * after growing waits (1 s doubling to 30 s), says so on standard error once per attempt and
     * through {@code /health} (503 "starting"), and answers webhooks 503 with {@code Retry-After}.
     * Only a real configuration error exits 2.
     */
    @Override
    public Integer call() {
        try {
            CrmsyncConfig cfg = ctx.config(options, KeyScope.NODE);
            return serve(cfg);
        } catch (RuntimeException e) {
            return ExitStatus.of("cluster", e, ctx.err);
        }
    }

    /** {@code /metrics} needs the admin token once the console is on (its token set and not turned off). */
    static MetricsAccess metricsAccess(CrmsyncConfig cfg) {
        return cfg.isSet(HostKeys.CONSOLE_TOKEN) && cfg.get(HostKeys.CONSOLE_ENABLED)
                ? MetricsAccess.token(cfg.get(HostKeys.CONSOLE_TOKEN))
                : MetricsAccess.OPEN;
    }

    private int serve(CrmsyncConfig cfg) {
        String address = cfg.get(HostKeys.SERVE_ADDRESS);
        int port = cfg.get(HostKeys.SERVE_PORT);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Thread hook = new Thread(
                () -> {
                    ctx.stop.countDown();
                    try {
                        ctx.finished.await(15, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "crmsync-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ProcessMeters jvm = ProcessMeters.bind(prometheus);
                ClusterServer s = new ClusterServer(address, port, prometheus::scrape)) {
            ctx.clusterServer = s;
            s.metricsAccess(metricsAccess(cfg));
            ctx.out.println("cluster node listening on " + s.baseUri() + "; connecting to its database");
            NodeRuntime.StartWait wait = (next, why) -> {
                s.waiting("the cluster database does not answer: " + why);
                ctx.err.println("crmsync: cluster: the cluster database does not answer (" + why + "); trying again in "
                        + next.toSeconds() + " s");
                return !ctx.stop.await(next.toMillis(), TimeUnit.MILLISECONDS);
            };
            AutoCloseable lags = () -> {};
            try (NodeRuntime runtime = NodeRuntime.open(cfg, ctx.env::get, wait, prometheus)) {
                ClusterNode node = runtime.node();
                ClusterMeters.bind(prometheus, node);
                lags = ClusterMeters.bindPollLags(prometheus, node, cfg.get(ClusterKeys.POLL_LAG_TENANTS));
                node.start();
                s.attach(
                        node,
                        Console.configured(cfg, new ClusterConsole(node, cfg.get(ClusterKeys.SECRET_NAMES)))
                                .orElse(null));
                ctx.out.println("cluster node " + node.name() + " serving on " + s.baseUri()
                        + " (POST /t/<tenant>/webhooks/efficy/<secret>, POST /t/<tenant>/webhooks/apsis-task, GET"
                        + " /health, GET /metrics"
                        + (cfg.isSet(HostKeys.CONSOLE_TOKEN) ? ", the console at /console" : "")
                        + "); dead after " + node.deadAfter() + " without a heartbeat");
                ctx.stop.await();
                return ExitStatus.OK;
            } catch (ClusterDatabaseUnavailableException gaveUp) {
                if (ctx.stop.getCount() == 0) {
                    return ExitStatus.OK; // told to stop while waiting for the database
                }
                throw gaveUp;
            } finally {
                try {
                    lags.close();
                } catch (Exception ignored) {
                    // a stopped refresh thread has nothing more to say
                }
            }
        } catch (IOException ex) {
            throw new ConfigException(
                    HostKeys.SERVE_PORT.name(), "cannot listen on " + address + ":" + port + ": " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return ExitStatus.OK;
        } finally {
            ctx.clusterServer = null;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for this thread to finish
            }
        }
    }
}

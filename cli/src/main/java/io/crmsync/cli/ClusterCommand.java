package io.crmsync.cli;

import io.crmsync.cluster.ClusterNode;
import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.micrometer.ClusterMeters;
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

    @Override
    public Integer call() {
        return NodeSession.run(ctx, "cluster", options, this::serve);
    }

    private int serve(CrmsyncConfig cfg, ClusterNode node) {
        String address = cfg.get(HostKeys.SERVE_ADDRESS);
        int port = cfg.get(HostKeys.SERVE_PORT);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ClusterMeters.bind(prometheus, node);
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
        try (ClusterServer s = new ClusterServer(node, address, port, prometheus::scrape)) {
            node.start();
            ctx.clusterServer = s;
            ctx.out.println("cluster node " + node.name() + " serving on " + s.baseUri()
                    + " (POST /t/<tenant>/webhooks/efficy/<secret>, POST /t/<tenant>/webhooks/apsis-task, GET /health,"
                    + " GET /metrics); dead after " + node.deadAfter() + " without a heartbeat");
            ctx.stop.await();
            return ExitStatus.OK;
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

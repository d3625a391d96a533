package io.crmsync.cli;

import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.jobs.JobCatalog;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.config.keys.PairKeys;
import io.crmsync.config.webhook.WebhookCredentials;
import io.crmsync.micrometer.ProcessMeters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmsync serve}: the job catalog on schedules, the webhooks, {@code /health} and {@code /metrics}. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Runs the jobs on schedules (a full sync first on an empty store, polls, reverse sync and query tags"
                        + " when configured) and answers the webhooks, /health and /metrics.")
final class ServeCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    ConfigOptions options;

    ServeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        return PairSession.run(ctx, "serve", options, this::serve);
    }

    private int serve(PairSession session) {
        CrmsyncConfig cfg = session.config();
        String address = cfg.get(HostKeys.SERVE_ADDRESS);
        try {
            InetAddress.getByName(address);
        } catch (UnknownHostException ex) {
            throw new ConfigException(HostKeys.SERVE_ADDRESS.name(), "'" + address + "' cannot be resolved");
        }
        int port = cfg.get(HostKeys.SERVE_PORT);
        JobCatalog catalog = JobCatalog.of(cfg);
        WebhookCredentials credentials = WebhookCredentials.from(cfg);
        try (ProcessMeters jvm = ProcessMeters.bind(session.prometheus());
                Server s = new Server(
                        session.engine(), catalog, credentials, address, port, session.prometheus()::scrape)) {
            ctx.server = s;
            ctx.out.println("serving on " + s.baseUri() + " (POST /webhooks/efficy/<secret>"
                    + (credentials.efficySecret() == null ? " off: no " + HostKeys.EFFICY_WEBHOOK_SECRET.name() : "")
                    + ", POST /webhooks/apsis-task"
                    + (credentials.task() == null ? " off: no " + PairKeys.TASK_SECRET.name() : "")
                    + ", GET /health, GET /metrics); jobs: "
                    + catalog.scheduled().stream()
                            .map(j -> j.job() + " every " + j.interval())
                            .collect(Collectors.joining(", "))
                    + (catalog.fullSyncOnEmptyStore() ? "; a full sync first if the store has never synced" : ""));
            ctx.stop.await();
            return ExitStatus.OK;
        } catch (IOException ex) {
            throw new ConfigException(
                    HostKeys.SERVE_PORT.name(), "cannot listen on " + address + ":" + port + ": " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return ExitStatus.OK;
        } finally {
            ctx.server = null;
        }
    }
}

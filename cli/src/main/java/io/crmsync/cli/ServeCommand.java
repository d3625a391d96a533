package io.crmsync.cli;

import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.jobs.JobCatalog;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.config.keys.KeyScope;
import io.crmsync.config.keys.PairKeys;
import io.crmsync.config.webhook.WebhookCredentials;
import io.crmsync.console.Console;
import io.crmsync.console.pair.ApsisActivity;
import io.crmsync.console.pair.PairConsoleBackend;
import io.crmsync.console.setup.PropertiesFileTarget;
import io.crmsync.console.setup.SetupTarget;
import io.crmsync.micrometer.ProcessMeters;
import io.crmsync.sync.SyncListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code crmsync serve}: the job catalog on schedules, the webhooks, {@code /health}, {@code /metrics}
 * and the console. A file that turns the console on ({@code console.token}) but names no Efficy
 * yet starts serve in set-up mode: only the console (its wizard writes the file) and
 * {@code /health}, then the pair once the set-up is saved, on the same port.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Runs the jobs on schedules (a full sync first on an empty store, polls, reverse sync and query tags"
                        + " when configured) and answers the webhooks, /health, /metrics and the console (/console,"
                        + " with console.token).")
final class ServeCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    ConfigOptions options;

    ServeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        CrmsyncConfig cfg;
        try {
            cfg = ctx.config(options, KeyScope.FILE);
        } catch (RuntimeException e) {
            return ExitStatus.of("serve", e, ctx.err);
        }
        String address = cfg.get(HostKeys.SERVE_ADDRESS);
        int port = cfg.get(HostKeys.SERVE_PORT);
        boolean setUp = cfg.isSet(PairKeys.EFFICY_URL);
        CountDownLatch saved = new CountDownLatch(1);
        ApsisActivity activity = new ApsisActivity();
        SetupTarget target = setUp
                ? SetupTarget.unavailable("serve runs the pair of " + options.file.getFileName() + " already: to set up"
                        + " another, start serve with a new file that holds console.token")
                : new PropertiesFileTarget(options.file, ctx.env::get, file -> saved.countDown());
        PairConsoleBackend backend = new PairConsoleBackend("serve", activity, target);
        try {
            InetAddress.getByName(address);
            Optional<Console> console = Console.configured(cfg, backend);
            if (!setUp && console.isEmpty()) {
                cfg.require(PairKeys.EFFICY_URL); // names the missing key, as before the console
            }
            try (Server s = new Server(address, port, console.orElse(null))) {
                s.metricsAccess(ClusterCommand.metricsAccess(cfg));
                if (!setUp) {
                    ctx.server = s; // set-up mode: the console is all there is to serve
                    ctx.out.println("serve: not set up yet; open " + s.baseUri()
                            + console.get().mount() + "/setup to set up (the file " + options.file
                            + " is written when you save)");
                    while (!saved.await(100, TimeUnit.MILLISECONDS)) {
                        if (ctx.stop.getCount() == 0) {
                            return ExitStatus.OK;
                        }
                    }
                }
                return PairSession.run(
                        ctx, "serve", options, activity, SyncListener.NONE, session -> serve(session, s, backend));
            }
        } catch (UnknownHostException ex) {
            return ExitStatus.of(
                    "serve",
                    new ConfigException(HostKeys.SERVE_ADDRESS.name(), "'" + address + "' cannot be resolved"),
                    ctx.err);
        } catch (IOException ex) {
            return ExitStatus.of(
                    "serve",
                    new ConfigException(
                            HostKeys.SERVE_PORT.name(),
                            "cannot listen on " + address + ":" + port + ": " + ex.getMessage()),
                    ctx.err);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return ExitStatus.OK;
        } catch (RuntimeException e) {
            return ExitStatus.of("serve", e, ctx.err);
        } finally {
            ctx.server = null;
        }
    }

    private int serve(PairSession session, Server s, PairConsoleBackend backend) {
        CrmsyncConfig cfg = session.config();
        JobCatalog catalog = JobCatalog.of(cfg);
        WebhookCredentials credentials = WebhookCredentials.from(cfg);
        try (ProcessMeters jvm = ProcessMeters.bind(session.prometheus())) {
            s.attach(session.engine(), catalog, credentials, session.prometheus()::scrape);
            backend.attach(session.engine(), s.jobs());
            ctx.server = s; // seen by callers (tests, the shutdown path) once the webhooks are served
            ctx.out.println("serving on " + s.baseUri() + " (POST /webhooks/efficy/<secret>"
                    + (credentials.efficySecret() == null ? " off: no " + HostKeys.EFFICY_WEBHOOK_SECRET.name() : "")
                    + ", POST /webhooks/apsis-task"
                    + (credentials.task() == null ? " off: no " + PairKeys.TASK_SECRET.name() : "")
                    + ", GET /health, GET /metrics, console "
                    + (cfg.isSet(HostKeys.CONSOLE_TOKEN) && cfg.get(HostKeys.CONSOLE_ENABLED)
                            ? "at /console"
                            : "off: no " + HostKeys.CONSOLE_TOKEN.name())
                    + "); jobs: "
                    + catalog.scheduled().stream()
                            .map(j -> j.job() + " every " + j.interval())
                            .collect(Collectors.joining(", "))
                    + (catalog.fullSyncOnEmptyStore() ? "; a full sync first if the store has never synced" : ""));
            ctx.stop.await();
            return ExitStatus.OK;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return ExitStatus.OK;
        }
    }
}

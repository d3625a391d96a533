package io.crmsync.cli;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.KeyScope;
import io.crmsync.config.webhook.WebhookCredentials;
import io.crmsync.console.pair.ApsisActivity;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.micrometer.CrmsyncMetrics;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.state.StateStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One Efficy–APSIS pair for the length of a command: the configuration, the clients, the state
 * store and the engine, with Prometheus meters and a shutdown hook; everything is closed when the
 * command's work returns, and every failure becomes an {@link ExitStatus}. Package-private.
 *
 * @param config the configuration
 * @param engine the engine
 * @param metrics the meters (a Prometheus registry)
 */
record PairSession(CrmsyncConfig config, SyncEngine engine, CrmsyncMetrics metrics) {

    /** The Prometheus registry of {@link #metrics()}. */
    PrometheusMeterRegistry prometheus() {
        return (PrometheusMeterRegistry) metrics.registry();
    }

    /** Builds a session from the command's options, runs {@code work}, and maps failures to statuses. */
    static int run(CliContext ctx, String command, ConfigOptions options, Function<PairSession, Integer> work) {
        return run(ctx, command, options, null, SyncListener.NONE, work);
    }

    /** As {@link #run(CliContext, String, ConfigOptions, Function)}, the APSIS client also telling {@code activity} (the console's). */
    static int run(
            CliContext ctx,
            String command,
            ConfigOptions options,
            ApsisActivity activity,
            SyncListener listener,
            Function<PairSession, Integer> work) {
        EfficyClient efficy = null;
        StateStore store = null;
        try {
            CrmsyncConfig cfg = ctx.config(options, KeyScope.FILE);
            cfg.checkValues();
            WebhookCredentials.from(cfg);
            CrmsyncMetrics metrics = CrmsyncMetrics.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            efficy = cfg.efficy(metrics.efficyListener());
            ApsisClient apsis =
                    cfg.apsis(activity == null ? metrics.apsisListener() : activity.andThen(metrics.apsisListener()));
            store = cfg.stateStore();
            try (SyncEngine engine =
                    cfg.engine(efficy, apsis, store, SyncListener.composite(metrics.syncListener(), listener))) {
                metrics.bindStateStore(store);
                Thread hook = shutdownHook(ctx, engine);
                try {
                    return work.apply(new PairSession(cfg, engine, metrics));
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running: it waits for this thread to finish
                    }
                }
            }
        } catch (RuntimeException e) {
            return ExitStatus.of(command, e, ctx.err);
        } finally {
            if (efficy != null) {
                efficy.close();
            }
            if (store != null) {
                try {
                    store.close();
                } catch (RuntimeException ignored) {
                    // closing after the outcome is decided; nothing to add
                }
            }
        }
    }

    /**
     * On SIGTERM (or Ctrl-C) the JVM runs this hook: it stops {@code serve}, closes the engine (the
     * run stops at its next safe point and its lease is given back) and waits for the command's own
     * clean-up (the store's close frees a PostgreSQL lease's connection), so the next run can start
     * at once.
     */
    private static Thread shutdownHook(CliContext ctx, SyncEngine engine) {
        Thread hook = new Thread(
                () -> {
                    ctx.stop.countDown();
                    engine.close();
                    try {
                        ctx.finished.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "crmsync-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}

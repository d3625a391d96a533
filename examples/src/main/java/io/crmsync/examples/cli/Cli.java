package io.crmsync.examples.cli;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.SetupReport;
import io.crmsync.sync.StateStore;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The CLI runner for real accounts: {@code crmsync validate | full-sync [--dry-run] | poll |
 * reverse-sync | serve --config crmsync.properties}.
 *
 * <p>Exit statuses: 0 done; 1 the run failed (a service error; state is kept and the next run
 * resumes); 2 bad usage or configuration (the message names the key); 3 {@code validate} found
 * problems.
 */
public final class Cli {

  /** Exit status: success. */
  public static final int OK = 0;
  /** Exit status: the run failed. */
  public static final int FAILED = 1;
  /** Exit status: bad usage or configuration. */
  public static final int USAGE = 2;
  /** Exit status: the setup is invalid. */
  public static final int INVALID_SETUP = 3;

  static final String USAGE_LINE =
      "usage: crmsync validate|full-sync [--dry-run] [--retry-quarantined]|poll|reverse-sync [--retry-quarantined]|serve"
          + " --config crmsync.properties";

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private volatile Server server;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);

  /** Creates a runner reading secrets from {@code env}. */
  public Cli(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** Runs a command; returns the exit status. {@code serve} returns when {@link #stop()} is called. */
  public int run(String[] args) {
    if (args.length == 0) {
      err.println(USAGE_LINE);
      return USAGE;
    }
    String command = args[0];
    Path config = null;
    boolean dryRun = false;
    boolean retryQuarantined = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        config = Path.of(args[++i]);
      } else if (args[i].equals("--dry-run") && command.equals("full-sync")) {
        dryRun = true;
      } else if (args[i].equals("--retry-quarantined") && List.of("full-sync", "reverse-sync").contains(command)) {
        retryQuarantined = true;
      } else {
        err.println("crmsync: unknown argument '" + args[i] + "'");
        err.println(USAGE_LINE);
        return USAGE;
      }
    }
    if (!java.util.List.of("validate", "full-sync", "poll", "reverse-sync", "serve").contains(command)) {
      err.println("crmsync: unknown command '" + command + "'");
      err.println(USAGE_LINE);
      return USAGE;
    }
    if (config == null) {
      err.println("crmsync: --config is required");
      err.println(USAGE_LINE);
      return USAGE;
    }
    CliConfig cfg;
    EfficyClient efficy = null;
    StateStore store = null;
    try {
      cfg = new CliConfig(config, env);
      efficy = cfg.efficy();
      ApsisClient apsis = cfg.apsis();
      store = cfg.stateStore();
      try (SyncEngine engine = cfg.engine(efficy, apsis, store)) {
        Thread hook = shutdownHook(engine);
        try {
          return execute(command, dryRun, retryQuarantined, cfg, engine);
        } finally {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for this thread to finish below
          }
        }
      }
    } catch (ConfigException e) {
      err.println("crmsync: configuration error: " + e.getMessage());
      return USAGE;
    } catch (io.crmsync.apsis.error.ApsisAuthenticationException e) {
      err.println("crmsync: " + command + " failed: APSIS refused the credentials; check apsis.clientId and"
          + " apsis.clientSecret (" + e.getMessage() + ")");
      return FAILED;
    } catch (io.crmsync.efficy.error.EfficyAuthenticationException e) {
      err.println("crmsync: " + command + " failed: Efficy refused the credentials; check efficy.apiKey (or"
          + " efficy.user and efficy.password) and efficy.customer (" + e.getMessage() + ")");
      return FAILED;
    } catch (io.crmsync.sync.RunStoppedException e) {
      err.println("crmsync: " + command + " stopped: " + e.getMessage() + "; the next run resumes from the last checkpoint");
      return FAILED;
    } catch (RuntimeException e) {
      err.println("crmsync: " + command + " failed: " + e.getMessage());
      return FAILED;
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
      finished.countDown();
    }
  }

  /**
   * On SIGTERM (or Ctrl-C) the JVM runs this hook: it stops {@code serve}, closes the engine (the
   * run stops at its next safe point and its lease is given back) and waits for the command's
   * own clean-up (the store's close frees a PostgreSQL lease's connection), so the next run can
   * start at once.
   */
  private Thread shutdownHook(SyncEngine engine) {
    Thread hook = new Thread(() -> {
      stop.countDown();
      engine.close();
      try {
        finished.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "crmsync-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private int execute(String command, boolean dryRun, boolean retryQuarantined, CliConfig cfg, SyncEngine engine) {
    switch (command) {
      case "validate": {
        SetupReport report = engine.validateSetup();
        if (report.isValid()) {
          out.println("setup is valid (Efficy " + report.efficyVersion() + " as " + report.efficyUser() + ")");
          return OK;
        }
        report.problems().forEach(p -> out.println("problem: " + p));
        return INVALID_SETUP;
      }
      case "full-sync":
        return report(engine.fullSync(FullSyncOptions.defaults().withDryRun(dryRun).withRetryQuarantined(retryQuarantined)));
      case "poll":
        return report(engine.pollChanges());
      case "reverse-sync":
        return report(engine.reverseSync(retryQuarantined));
      default:
        return serve(cfg, engine);
    }
  }

  private int report(SyncReport report) {
    out.println(report);
    report.quarantined().forEach(q -> out.println("quarantined " + q.kind() + " " + q.id() + ": " + q.reason()));
    return OK;
  }

  private int serve(CliConfig cfg, SyncEngine engine) {
    String address = cfg.value("serve.address", "127.0.0.1");
    try {
      java.net.InetAddress.getByName(address);
    } catch (java.net.UnknownHostException e) {
      throw new ConfigException("serve.address", "'" + address + "' cannot be resolved");
    }
    int port = cfg.integer("serve.port", 8080, 0, 65535);
    Duration poll = cfg.notNegative("serve.pollInterval", Duration.ofMinutes(1));
    Duration reverse = cfg.notNegative("serve.reverseInterval", Duration.ofMinutes(15));
    String efficySecret = cfg.value("serve.efficyWebhookSecret");
    if (efficySecret != null && efficySecret.length() < 16) {
      throw new ConfigException("serve.efficyWebhookSecret", "must be at least 16 characters");
    }
    try (Server s = new Server(engine, address, port, poll, reverse, efficySecret)) {
      server = s;
      out.println("serving on " + s.baseUri() + " (POST /webhooks/efficy/<secret>"
          + (efficySecret == null ? " off: no serve.efficyWebhookSecret" : "") + ", POST /webhooks/apsis-task, GET /health);"
          + " polling every " + poll + ", reverse sync every " + reverse);
      stop.await();
      return OK;
    } catch (java.io.IOException e) {
      throw new ConfigException("serve.port", "cannot listen on " + address + ":" + port + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OK;
    } finally {
      server = null;
    }
  }

  /** The running server, while {@code serve} runs (for tests). */
  public Server server() {
    return server;
  }

  /** Makes {@code serve} return. */
  public void stop() {
    stop.countDown();
  }
}

package io.crmsync.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmsync.apsis.ApsisClient;
import io.crmsync.cluster.ClusterException;
import io.crmsync.cluster.ClusterNode;
import io.crmsync.cluster.TenantSetupException;
import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.micrometer.CrmsyncMetrics;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.SetupReport;
import io.crmsync.sync.state.StateStore;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncMode;
import io.crmsync.sync.SyncReport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command line of {@code crmsync.jar}: {@code validate}, {@code full-sync}, {@code poll},
 * {@code reverse-sync}, {@code serve} and {@code config}, each with {@code --config FILE},
 * {@code -D key=value} overrides and {@code --help}; {@code crmsync --version}. For many tenants:
 * {@code cluster} (a node) and {@code tenant add|update|pause|resume|remove|list|full-sync}, whose
 * {@code --config} is the node's file ({@code cluster.*} keys, see {@code docs/CLUSTER.md}).
 *
 * <p>Exit statuses: 0 done; 1 the run failed (a service error; state is kept and the next run
 * resumes); 2 bad usage or configuration (the message names the option or key); 3
 * {@code validate} found problems.
 *
 * <pre>{@code
 * int status = new Cli(System.getenv(), System.out, System.err).run(args);
 * }</pre>
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

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Properties system;
  private volatile Server server;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);

  /** Creates a runner reading secrets and overrides from {@code env}. */
  public Cli(Map<String, String> env, PrintStream out, PrintStream err) {
    this(env, out, err, System.getProperties());
  }

  /** As {@link #Cli(Map, PrintStream, PrintStream)}, with the system properties to read {@code crmsync.*} from. */
  Cli(Map<String, String> env, PrintStream out, PrintStream err, Properties system) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.system = system;
  }

  /** Runs a command line; returns the exit status. {@code serve} returns when {@link #stop()} is called. */
  public int run(String[] args) {
    try {
      return commandLine().execute(args);
    } finally {
      finished.countDown();
    }
  }

  /** The picocli command tree, writing to this runner's streams. */
  CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new Crmsync());
    cmd.addSubcommand(new Validate());
    cmd.addSubcommand(new FullSync());
    cmd.addSubcommand(new Poll());
    cmd.addSubcommand(new ReverseSync());
    cmd.addSubcommand(new Serve());
    cmd.addSubcommand(new ShowConfig());
    cmd.addSubcommand(new ClusterCommand());
    CommandLine tenants = new CommandLine(new TenantCommand());
    tenants.addSubcommand(new TenantAdd());
    tenants.addSubcommand(new TenantUpdate());
    tenants.addSubcommand(new TenantPause());
    tenants.addSubcommand(new TenantResume());
    tenants.addSubcommand(new TenantRemove());
    tenants.addSubcommand(new TenantList());
    tenants.addSubcommand(new TenantFullSync());
    cmd.addSubcommand(tenants);
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler((e, line, parsed) -> {
      err.println("crmsync: " + line.getCommandName() + " failed: " + e.getMessage());
      return FAILED;
    });
    return cmd;
  }

  /** The top command: only {@code --help} and {@code --version}. */
  @Command(name = "crmsync", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Keeps APSIS One profiles in step with Efficy contacts and brings responses back.",
      synopsisSubcommandLabel = "COMMAND",
      exitCodeListHeading = "%nExit statuses:%n",
      exitCodeList = {"0:done", "1:the run failed; state is kept and the next run resumes",
          "2:bad usage or configuration (the message names the key)", "3:validate found problems"})
  static final class Crmsync implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return USAGE;
    }
  }

  /** {@code --version}: the version the jar was built as. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"crmsync " + p.getProperty("version", "unknown"),
          "Java " + System.getProperty("java.version")};
    }
  }

  /** What every command takes: the configuration file and overrides. */
  static final class ConfigOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE",
        description = "the properties file (see crmsync.properties.sample)")
    Path file;

    @Option(names = "-D", paramLabel = "KEY=VALUE",
        description = "overrides a key of the file (also: the environment variable CRMSYNC_<KEY>, "
            + "the system property crmsync.<key>)")
    Map<String, String> overrides = new LinkedHashMap<>();
  }

  private CrmsyncConfig config(ConfigOptions options) {
    return new CrmsyncConfig(options.file, env, options.overrides, system);
  }

  /** Builds the clients, the store and the engine, runs {@code work}, and maps failures to statuses. */
  private int withEngine(String command, ConfigOptions options, Function<Engine, Integer> work) {
    EfficyClient efficy = null;
    StateStore store = null;
    try {
      CrmsyncConfig cfg = config(options);
      CrmsyncMetrics metrics = CrmsyncMetrics.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      efficy = cfg.efficy(metrics.efficyListener());
      ApsisClient apsis = cfg.apsis(metrics.apsisListener());
      store = cfg.stateStore();
      try (SyncEngine engine = cfg.engine(efficy, apsis, store, metrics.syncListener())) {
        metrics.bindStateStore(store);
        Thread hook = shutdownHook(engine);
        try {
          return work.apply(new Engine(cfg, engine, metrics));
        } finally {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for this thread to finish
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
    }
  }

  /** What a command works with. */
  private record Engine(CrmsyncConfig cfg, SyncEngine engine, CrmsyncMetrics metrics) {}

  /**
   * On SIGTERM (or Ctrl-C) the JVM runs this hook: it stops {@code serve}, closes the engine (the
   * run stops at its next safe point and its lease is given back) and waits for the command's own
   * clean-up (the store's close frees a PostgreSQL lease's connection), so the next run can start
   * at once.
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

  private int report(SyncReport report) {
    out.println(report);
    report.quarantined().forEach(q -> out.println("quarantined " + q.kind() + " " + q.id() + ": " + q.reason()));
    return OK;
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Checks both accounts and the configuration; lists every problem (exit 3).")
  final class Validate implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
      return withEngine("validate", options, e -> {
        SetupReport report = e.engine().validateSetup();
        if (report.isValid()) {
          out.println("setup is valid (Efficy " + report.efficyVersion() + " as " + report.efficyUser() + ")");
          return OK;
        }
        report.problems().forEach(p -> out.println("problem: " + p));
        return INVALID_SETUP;
      });
    }
  }

  @Command(name = "full-sync", mixinStandardHelpOptions = true,
      description = "Syncs every Efficy contact to APSIS (by import when many change); resumes after a crash.")
  final class FullSync implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--dry-run", description = "plan and count, write nothing")
    boolean dryRun;

    @Option(names = "--retry-quarantined", description = "also send contacts APSIS refused before")
    boolean retryQuarantined;

    @Override
    public Integer call() {
      return withEngine("full-sync", options, e -> report(e.engine().fullSync(
          FullSyncOptions.defaults().withDryRun(dryRun).withRetryQuarantined(retryQuarantined))));
    }
  }

  @Command(name = "poll", mixinStandardHelpOptions = true,
      description = "Syncs the contacts changed in Efficy since the last poll.")
  final class Poll implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
      return withEngine("poll", options, e -> report(e.engine().pollChanges()));
    }
  }

  @Command(name = "reverse-sync", mixinStandardHelpOptions = true,
      description = "Brings e-mail events (opens, clicks, bounces, unsubscribes) back into Efficy.")
  final class ReverseSync implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--retry-quarantined", description = "also retry every parked event")
    boolean retryQuarantined;

    @Override
    public Integer call() {
      return withEngine("reverse-sync", options, e -> report(e.engine().reverseSync(retryQuarantined)));
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Polls and reverse-syncs on schedules and answers the webhooks, /health and /metrics.")
  final class Serve implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
      return withEngine("serve", options, this::serve);
    }

    private int serve(Engine e) {
      CrmsyncConfig cfg = e.cfg();
      String address = cfg.value("serve.address", "127.0.0.1");
      try {
        java.net.InetAddress.getByName(address);
      } catch (java.net.UnknownHostException ex) {
        throw new ConfigException("serve.address", "'" + address + "' cannot be resolved");
      }
      int port = cfg.integer("serve.port", 8080, 0, 65535);
      Duration poll = cfg.notNegative("serve.pollInterval", Duration.ofMinutes(1));
      Duration reverse = cfg.notNegative("serve.reverseInterval", Duration.ofMinutes(15));
      String efficySecret = cfg.value("serve.efficyWebhookSecret");
      if (efficySecret != null && efficySecret.length() < 16) {
        throw new ConfigException("serve.efficyWebhookSecret", "must be at least 16 characters");
      }
      PrometheusMeterRegistry prometheus = (PrometheusMeterRegistry) e.metrics().registry();
      try (Server s = new Server(e.engine(), address, port, poll, reverse, efficySecret, prometheus::scrape)) {
        server = s;
        out.println("serving on " + s.baseUri() + " (POST /webhooks/efficy/<secret>"
            + (efficySecret == null ? " off: no serve.efficyWebhookSecret" : "")
            + ", POST /webhooks/apsis-task, GET /health, GET /metrics);"
            + " polling every " + poll + ", reverse sync every " + reverse);
        stop.await();
        return OK;
      } catch (IOException ex) {
        throw new ConfigException("serve.port", "cannot listen on " + address + ":" + port + ": " + ex.getMessage());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return OK;
      } finally {
        server = null;
      }
    }
  }

  @Command(name = "config", mixinStandardHelpOptions = true,
      description = "Prints the configuration in effect, with where each value came from; secrets masked.")
  final class ShowConfig implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
      try {
        config(options).describe().forEach(out::println);
        return OK;
      } catch (ConfigException e) {
        err.println("crmsync: configuration error: " + e.getMessage());
        return USAGE;
      }
    }
  }

  // --- cluster ----------------------------------------------------------------------------------

  /** A node's database pool and node, from the node's file; closed together. */
  private static final class NodeParts implements AutoCloseable {
    final HikariDataSource pool;
    final ClusterNode node;

    NodeParts(HikariDataSource pool, ClusterNode node) {
      this.pool = pool;
      this.node = node;
    }

    @Override
    public void close() {
      try {
        node.close();
      } finally {
        pool.close();
      }
    }
  }

  /**
   * Opens the cluster's pool and builds a node (not started) from the node's file: the database
   * ({@code cluster.jdbcUrl}, {@code cluster.user}, {@code cluster.password},
   * {@code cluster.poolSize}) and the node's settings.
   */
  private NodeParts node(CrmsyncConfig cfg) {
    String url = cfg.required("cluster.jdbcUrl");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("cluster.jdbcUrl", "must be a PostgreSQL URL (jdbc:postgresql://...)");
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    String user = cfg.value("cluster.user");
    if (user != null) {
      hc.setUsername(user);
      hc.setPassword(cfg.value("cluster.password", ""));
    }
    hc.setMaximumPoolSize(cfg.integer("cluster.poolSize", 16, 2, 200));
    hc.setPoolName("crmsync-cluster");
    hc.setConnectionTimeout(10_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new ConfigException("cluster.jdbcUrl", "the cluster database cannot be reached: " + e.getMessage());
    }
    try {
      ClusterNode.Builder b = ClusterNode.builder(pool)
          .threads(cfg.integer("cluster.threads", 8, 1, 256))
          .heartbeat(cfg.positive("cluster.heartbeatInterval", Duration.ofSeconds(2)),
              cfg.integer("cluster.missedHeartbeats", 5, 3, 100))
          .pollingInterval(cfg.positive("cluster.pollingInterval", Duration.ofSeconds(2)))
          .engineCache(cfg.integer("cluster.engineCache", 64, 1, 100_000))
          .journalRetention(cfg.positive("cluster.journalRetention", Duration.ofDays(7)))
          .secrets(name -> env.get(name));
      Duration retryFirst = cfg.positive("cluster.retryFirst", Duration.ofSeconds(10));
      try {
        b.retries(retryFirst, cfg.positive("cluster.retryMax", Duration.ofHours(1)),
            cfg.integer("cluster.retryAttempts", 30, 1, 1000));
      } catch (IllegalArgumentException shorter) {
        throw new ConfigException("cluster.retryMax", "must be no shorter than cluster.retryFirst (" + retryFirst + ")");
      }
      String name = cfg.value("cluster.nodeName");
      if (name != null) {
        b.name(name);
      }
      String rate = cfg.value("cluster.apsisRequestsPerSecond");
      if (rate != null) {
        try {
          b.apsisRequestsPerSecond(Double.parseDouble(rate));
        } catch (IllegalArgumentException e) {
          throw new ConfigException("cluster.apsisRequestsPerSecond", "'" + rate + "' is not a positive number");
        }
      }
      return new NodeParts(pool, b.build());
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Runs a cluster command, mapping failures to statuses as the other commands do. */
  private int withNode(String command, ConfigOptions options, Function<ClusterNode, Integer> work) {
    try (NodeParts parts = node(config(options))) {
      return work.apply(parts.node);
    } catch (ConfigException e) {
      err.println("crmsync: configuration error: " + e.getMessage());
      return USAGE;
    } catch (TenantSetupException e) {
      err.println("crmsync: " + command + ": " + e.getMessage());
      return INVALID_SETUP;
    } catch (ClusterException e) {
      err.println("crmsync: " + command + " failed: " + e.getMessage());
      return USAGE;
    } catch (RuntimeException e) {
      err.println("crmsync: " + command + " failed: " + e.getMessage());
      return FAILED;
    }
  }

  @Command(name = "cluster", mixinStandardHelpOptions = true,
      description = "Runs a cluster node: every tenant's jobs on db-scheduler, their webhooks under /t/<tenant>/,"
          + " /health and /metrics.")
  final class ClusterCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
      return withNode("cluster", options, this::serve);
    }

    private int serve(ClusterNode node) {
      CrmsyncConfig cfg = config(options);
      String address = cfg.value("serve.address", "127.0.0.1");
      int port = cfg.integer("serve.port", 8080, 0, 65535);
      PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      bindClusterMeters(prometheus, node);
      Thread hook = new Thread(() -> {
        stop.countDown();
        try {
          finished.await(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "crmsync-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try (ClusterServer s = new ClusterServer(node, address, port, prometheus::scrape)) {
        node.start();
        clusterServer = s;
        out.println("cluster node " + node.name() + " serving on " + s.baseUri()
            + " (POST /t/<tenant>/webhooks/efficy/<secret>, POST /t/<tenant>/webhooks/apsis-task, GET /health,"
            + " GET /metrics); dead after " + node.deadAfter() + " without a heartbeat");
        stop.await();
        return OK;
      } catch (IOException ex) {
        throw new ConfigException("serve.port", "cannot listen on " + address + ":" + port + ": " + ex.getMessage());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return OK;
      } finally {
        clusterServer = null;
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it waits for this thread to finish
        }
      }
    }
  }

  private static void bindClusterMeters(MeterRegistry registry,
      ClusterNode node) {
    FunctionCounter.builder("crmsync.cluster.runs", node, n -> n.stats().runsSucceeded())
        .tag("outcome", "succeeded").description("exclusive tenant runs").register(registry);
    FunctionCounter.builder("crmsync.cluster.runs", node, n -> n.stats().runsFenced())
        .tag("outcome", "fenced").description("exclusive tenant runs").register(registry);
    FunctionCounter.builder("crmsync.cluster.runs", node, n -> n.stats().runsFailed())
        .tag("outcome", "failed").description("exclusive tenant runs").register(registry);
    FunctionCounter.builder("crmsync.cluster.deliveries", node,
        n -> n.stats().deliveriesAccepted()).tag("stage", "accepted").register(registry);
    FunctionCounter.builder("crmsync.cluster.deliveries", node,
        n -> n.stats().deliveriesHandled()).tag("stage", "handled").register(registry);
    FunctionCounter.builder("crmsync.cluster.abandoned", node, n -> n.stats().tasksAbandoned())
        .description("full syncs and deliveries given up after their last allowed failure").register(registry);
    Gauge.builder("crmsync.cluster.engines", node, n -> n.stats().enginesCached())
        .description("tenants' engines cached on this node").register(registry);
  }

  /** {@code crmsync tenant}: lists its subcommands. */
  @Command(name = "tenant", mixinStandardHelpOptions = true, versionProvider = Version.class,
      synopsisSubcommandLabel = "COMMAND",
      description = "Manages a cluster's tenants (--config is the node's file).")
  static final class TenantCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return USAGE;
    }
  }

  /** A tenant's properties file: the CLI's keys, secrets as ${NAME} references. */
  private static Properties tenantFile(Path file) {
    Properties p = new Properties();
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new ConfigException("--tenant-config", "file " + file + " does not exist");
    }
    try (java.io.Reader in = java.nio.file.Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--tenant-config", "file " + file + " cannot be read: " + e.getMessage());
    }
    return p;
  }

  /** The tenant a command is about. */
  static final class TenantId {
    @CommandLine.Parameters(index = "0", paramLabel = "TENANT", description = "the tenant id ([a-z0-9-], up to 40)")
    String id;
  }

  /** A command on one tenant: the node's file, the tenant, and what to do on a node (not started). */
  abstract class TenantAction implements Callable<Integer> {
    @Mixin
    ConfigOptions options;
    @Mixin
    TenantId tenant;

    /** Does the command's work; returns the exit status. */
    abstract int act(ClusterNode node, String id);

    @Override
    public Integer call() {
      String name = getClass().getAnnotation(Command.class).name();
      return withNode("tenant " + name, options, node -> act(node, tenant.id));
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Adds a tenant once its set-up validates (exit 3 lists the problems).")
  final class TenantAdd extends TenantAction {
    @Option(names = "--tenant-config", required = true, paramLabel = "FILE",
        description = "the tenant's properties: the CLI's keys, secrets as ${NAME} references")
    Path file;

    @Override
    int act(ClusterNode node, String id) {
      out.println("added " + node.admin().add(id, tenantFile(file)));
      return OK;
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Replaces a tenant's configuration once the new one validates.")
  final class TenantUpdate extends TenantAction {
    @Option(names = "--tenant-config", required = true, paramLabel = "FILE",
        description = "the tenant's new properties")
    Path file;

    @Override
    int act(ClusterNode node, String id) {
      out.println("updated " + node.admin().update(id, tenantFile(file)));
      return OK;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stops a tenant's jobs; deliveries wait.")
  final class TenantPause extends TenantAction {
    @Override
    int act(ClusterNode node, String id) {
      out.println("paused " + node.admin().pause(id));
      return OK;
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused tenant.")
  final class TenantResume extends TenantAction {
    @Override
    int act(ClusterNode node, String id) {
      out.println("resumed " + node.admin().resume(id));
      return OK;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Removes a tenant and its scheduled work; --purge also deletes its state (GDPR erasure).")
  final class TenantRemove extends TenantAction {
    @Option(names = "--purge", description = "delete the tenant's state too")
    boolean purge;

    @Override
    int act(ClusterNode node, String id) {
      boolean existed = node.admin().remove(id, purge);
      out.println((existed ? "removed " : "no tenant ") + id + (purge ? "; its state is purged" : ""));
      return existed ? OK : USAGE;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the tenants (never their values).")
  final class TenantList implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
      return withNode("tenant list", options, node -> {
        node.admin().list().forEach(t -> out.println(t.id() + (t.paused() ? " paused" : " active") + " v" + t.version()));
        return OK;
      });
    }
  }

  @Command(name = "full-sync", mixinStandardHelpOptions = true,
      description = "Queues a full sync of a tenant (one at a time per tenant); a node runs it.")
  final class TenantFullSync extends TenantAction {
    @Option(names = "--mode", description = "AUTO (default), IMPORT or PER_PROFILE")
    SyncMode mode = SyncMode.AUTO;

    @Override
    int act(ClusterNode node, String id) {
      boolean queued = node.admin().requestFullSync(id, FullSyncOptions.defaults().withMode(mode));
      out.println(queued ? "queued a full sync of " + id : "a full sync of " + id + " is queued or running already");
      return OK;
    }
  }

  private volatile ClusterServer clusterServer;

  /** The running cluster server, while {@code cluster} runs (for tests). */
  public ClusterServer clusterServer() {
    return clusterServer;
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

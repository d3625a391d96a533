package io.crmsync.cluster;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.efficy.webhook.EfficyWebhookEvent;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.reverse.TaskWebhookResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * One node of a crmsync cluster: a db-scheduler {@link Scheduler} on the shared PostgreSQL that
 * runs every tenant's jobs (recurring polls, reverse syncs and query tags; one-time full syncs
 * and webhook deliveries), with each tenant's engine built from its configuration in the
 * {@link TenantRegistry}, its state in a schema of its own ({@link TenantStateStores}), and its
 * APSIS requests drawn from a budget shared by every node ({@link SharedAccountBudget}). Start as
 * many nodes as the load needs, on as many machines; they need nothing but the database in
 * common.
 *
 * <p>Failover: each node beats every {@code heartbeatInterval}; a node silent for
 * {@code missedHeartbeats} beats is dead, and its executions are picked again elsewhere within
 * about two more beats plus the polling interval, ahead of work that fell due after them. A node
 * claims due executions with {@code SELECT ... FOR UPDATE SKIP LOCKED}, only as many as it has
 * free threads. A run's lease is its picked execution, version
 * and all (see {@code docs/CLUSTER.md}); its writes stop once it has not been confirmed for the
 * dead limit less two beats, before any other node can take the execution over.
 *
 * <p>Defaults: node name {@code <host>-<pid>}, a run journal kept 7 days, 8 threads, heartbeat every 2 s, dead after 5
 * missed beats (10 s), polling every 2 s, immediate execution on, 64 cached engines, secrets from
 * the environment, 90 APSIS requests/s per account (APSIS allows 100), failed full syncs and
 * deliveries retried from 10 s doubling to 1 h and given up after 30 failures, the shipped tables
 * applied on start.
 *
 * <pre>{@code
 * try (ClusterNode node = ClusterNode.builder(dataSource).build()) {
 *   node.start();
 *   node.admin().add("acme", acmeProperties);
 * }
 * }</pre>
 */
public final class ClusterNode implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final DataSource dataSource;
  private final Scheduler scheduler;
  private final TenantRegistry registry;
  private final TenantEngines engines;
  private final TenantJobs jobs;
  private final TenantAdmin admin;
  private final Clock clock;
  private final Duration deadAfter;
  private final AtomicLong accepted = new AtomicLong();
  private final SecretResolver secrets;

  private ClusterNode(Builder b) {
    this.name = b.name;
    this.dataSource = b.dataSource;
    this.secrets = b.secrets;
    this.clock = b.clock;
    if (b.migrate) {
      migrate(b.dataSource);
    }
    this.registry = b.registry != null ? b.registry : new JdbcTenantRegistry(b.dataSource);
    TenantStateStores stores = new TenantStateStores(b.dataSource);
    ExecutionLeases leases = new ExecutionLeases(b.dataSource, b.name);
    this.deadAfter = b.heartbeat.multipliedBy(b.missedHeartbeats);
    this.engines = new TenantEngines(b.engineCache, b.secrets, stores, leases,
        new SharedAccountBudget(b.dataSource, b.apsisRequestsPerSecond), b.name, leaseTime(b.heartbeat, b.missedHeartbeats));
    this.jobs = new TenantJobs(registry, engines, leases, new RunJournal(b.dataSource, b.name), b.secrets, b.clock,
        b.journalRetention, b.retries);
    this.scheduler = Scheduler.create(b.dataSource, List.copyOf(jobs.all()))
        .startTasks(jobs.journalCleanup)
        .schedulerName(new SchedulerName.Fixed(b.name))
        .threads(b.threads)
        .pollingInterval(b.pollingInterval)
        // Lock-and-fetch (SELECT ... FOR UPDATE SKIP LOCKED) claims only as many due executions
        // as the node has free threads: nothing waits in a node's memory queue, so work that
        // falls due, or is revived from a dead node, goes to the next free thread in the cluster.
        // db-scheduler's default fetches three per thread and locks each only as it runs it.
        .pollUsingLockAndFetch(0.5, 1.0)
        .heartbeatInterval(b.heartbeat)
        .missedHeartbeatsLimit(b.missedHeartbeats)
        .serializer(new JsonTaskSerializer())
        .enableImmediateExecution()
        .shutdownMaxWait(Duration.ofSeconds(10))
        .build();
    this.admin = new TenantAdmin(registry, engines, stores, jobs, scheduler, b.secrets, b.clock);
  }

  /**
   * How long a run may write after its last confirmation: the dead limit less two beats. The node's
   * heartbeat and the run's confirmation happen at most a beat apart, and another node can take an
   * execution over only once its last heartbeat is a dead limit old; so a paused node's run stops
   * writing at least a beat before anyone else can start the same job.
   */
  static Duration leaseTime(Duration heartbeat, int missed) {
    return heartbeat.multipliedBy(missed - 2L);
  }

  /** Starts a builder on the cluster's PostgreSQL data source (a pool: the node borrows often). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Applies {@code cluster-postgresql.sql} (idempotent). */
  static void migrate(DataSource dataSource) {
    String ddl;
    try (InputStream in = ClusterNode.class.getResourceAsStream("cluster-postgresql.sql")) {
      ddl = new String(Objects.requireNonNull(in, "cluster-postgresql.sql").readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ClusterException("cluster-postgresql.sql cannot be read", e);
    }
    StringBuilder clean = new StringBuilder();
    for (String line : ddl.split("\n")) {
      if (!line.trim().startsWith("--")) {
        clean.append(line).append('\n');
      }
    }
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      // One node at a time, so that two nodes starting together do not race on "if not exists".
      st.execute("select pg_advisory_lock(hashtext('crmsync.cluster.migrate'))");
      try {
        for (String sql : clean.toString().split(";")) {
          if (!sql.isBlank()) {
            st.execute(sql);
          }
        }
      } finally {
        st.execute("select pg_advisory_unlock(hashtext('crmsync.cluster.migrate'))");
      }
    } catch (SQLException e) {
      throw new ClusterException("the cluster tables cannot be made: " + e.getMessage(), e);
    }
  }

  /** Starts picking executions. */
  public void start() {
    scheduler.start();
  }

  /** The node's name (db-scheduler's {@code picked_by}). */
  public String name() {
    return name;
  }

  /** How long a silent node lives on before its work is picked up elsewhere. */
  public Duration deadAfter() {
    return deadAfter;
  }

  /** Tenant management. */
  public TenantAdmin admin() {
    return admin;
  }

  /**
   * Queues an Efficy change webhook for a tenant, after checking the secret it carried against
   * the tenant's {@code serve.efficyWebhookSecret} (in constant time) and that the body is an
   * Efficy webhook payload (400 otherwise). Only the contact records' keys and operations are
   * queued, no field values. The delivery id is the SHA-256 of the body, so a repeated call while
   * the first is queued is one task.
   *
   * @param givenSecret the secret the call carried (path segment or header), or null
   */
  public WebhookAcceptance acceptEfficyWebhook(String tenantId, String givenSecret, byte[] body) {
    Optional<Tenant> tenant = findQuietly(tenantId);
    if (tenant.isEmpty()) {
      return new WebhookAcceptance(404, "no such tenant");
    }
    String ref = tenant.get().config().get("serve.efficyWebhookSecret");
    if (ref == null) {
      return new WebhookAcceptance(404, "the tenant has no Efficy webhook secret (serve.efficyWebhookSecret)");
    }
    String expected = CrmsyncConfig.of(tenant.get().properties(), secrets::resolve).value("serve.efficyWebhookSecret");
    if (givenSecret == null || expected == null || !MessageDigest.isEqual(givenSecret.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8))) {
      return new WebhookAcceptance(401, "missing or wrong webhook secret");
    }
    if (body.length > 1024 * 1024) {
      return new WebhookAcceptance(413, "body over 1 MB");
    }
    byte[] minimal;
    try {
      minimal = contactHints(EfficyWebhookEvent.parse(new String(body, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException bad) {
      return new WebhookAcceptance(400, bad.getMessage());
    }
    return queue(tenantId, "efficy", "sha256-" + sha256(body), minimal);
  }

  /**
   * What of an Efficy webhook is queued: its contact records' table, key, operation and date. The
   * engine reads every contact afresh from Efficy, so the changed fields (names, addresses) and the
   * user are left out: no personal data waits in the task table.
   */
  private static byte[] contactHints(EfficyWebhookEvent event) {
    ObjectNode json = JSON.createObjectNode();
    json.put("database", event.database());
    json.put("version", event.version());
    ArrayNode records = json.putArray("records");
    for (EfficyWebhookEvent.Record r : event.contactRecords()) {
      ObjectNode record = records.addObject();
      record.put("table", r.table());
      record.put("key", r.key());
      String op = r.operation().name();
      record.put("operation", op.charAt(0) + op.substring(1).toLowerCase(java.util.Locale.ROOT));
      r.date().ifPresent(d -> record.put("date", d));
    }
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Queues an APSIS Marketing Automation task webhook for a tenant, after its engine checked the
   * size and the secret (bearer or HMAC); the secret is not queued. The delivery id is the body's
   * {@code delivery_id}, or its SHA-256.
   */
  public WebhookAcceptance acceptTaskWebhook(String tenantId, byte[] body, Map<String, List<String>> headers) {
    Optional<Tenant> tenant = findQuietly(tenantId);
    if (tenant.isEmpty()) {
      return new WebhookAcceptance(404, "no such tenant");
    }
    Optional<TaskWebhookResult> refused;
    try (TenantEngines.Use use = engines.use(tenant.get())) {
      SyncEngine engine = use.engine();
      refused = engine.refuseTaskWebhook(body, headers);
    } catch (IllegalStateException notConfigured) {
      return new WebhookAcceptance(404, "the tenant has no task webhook (taskWebhook.secret)");
    }
    if (refused.isPresent()) {
      return new WebhookAcceptance(refused.get().status(), refused.get().message());
    }
    String delivery = deliveryId(body);
    return queue(tenantId, "apsis-task", delivery, body);
  }

  private WebhookAcceptance queue(String tenant, String kind, String delivery, byte[] body) {
    boolean fresh = scheduler.scheduleIfNotExists(jobs.webhook.instance(tenant + "/" + kind + "/" + delivery,
        new TenantJobs.Delivery(tenant, kind, new String(body, StandardCharsets.UTF_8))), clock.instant());
    accepted.incrementAndGet();
    return new WebhookAcceptance(202, fresh ? "queued" : "queued already");
  }

  private static String deliveryId(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      String id = node == null ? null : node.path("delivery_id").asText(null);
      if (id != null && !id.isBlank() && id.length() <= 150 && id.matches("[A-Za-z0-9._:-]+")) {
        return id;
      }
    } catch (IOException e) {
      // not JSON: the engine will say so when it handles it
    }
    return "sha256-" + sha256(body);
  }

  private Optional<Tenant> findQuietly(String tenantId) {
    try {
      return registry.find(tenantId);
    } catch (ClusterException badId) {
      return Optional.empty();
    }
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The node's counters. */
  public ClusterStats stats() {
    return new ClusterStats(name, jobs.succeeded.get(), jobs.fenced.get(), jobs.failed.get(), jobs.deliveries.get(),
        accepted.get(), jobs.abandoned.get(), engines.size());
  }

  /** Whether the node's database answers. */
  public boolean healthy() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Stops picking, lets running executions finish (up to 10 s), and closes every engine. */
  @Override
  public void close() {
    scheduler.stop();
    engines.close();
  }

  @Override
  public String toString() {
    return "ClusterNode{name=" + name + ", deadAfter=" + deadAfter + "}";
  }

  /** Builds a {@link ClusterNode}. */
  public static final class Builder {
    private final DataSource dataSource;
    private String name = defaultName();
    private int threads = 8;
    private Duration heartbeat = Duration.ofSeconds(2);
    private int missedHeartbeats = 5;
    private Duration pollingInterval = Duration.ofSeconds(2);
    private int engineCache = 64;
    private SecretResolver secrets = SecretResolver.environment();
    private double apsisRequestsPerSecond = SharedAccountBudget.DEFAULT_RATE;
    private boolean migrate = true;
    private Duration journalRetention = Duration.ofDays(7);
    private TenantJobs.Retries retries = TenantJobs.Retries.DEFAULT;
    private TenantRegistry registry;
    private Clock clock = Clock.systemUTC();

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    private static String defaultName() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "node";
      }
      return host + "-" + ProcessHandle.current().pid();
    }

    /** The node's name, unique in the cluster (default {@code <host>-<pid>}). */
    public Builder name(String name) {
      if (name == null || name.isBlank() || name.length() > 200) {
        throw new IllegalArgumentException("node name must be 1 to 200 characters");
      }
      this.name = name;
      return this;
    }

    /** Threads running executions (default 8). */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 256) {
        throw new IllegalArgumentException("threads must be 1..256, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * How often the node beats, and how many missed beats make it dead (default 2 s and 5: a dead
     * node's work moves after about 10 s, where db-scheduler's own default is minutes). Runs stop
     * writing once unconfirmed for {@code interval × (missed - 2)}.
     */
    public Builder heartbeat(Duration interval, int missed) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("heartbeat interval must be positive");
      }
      if (missed < 3 || missed > 100) {
        throw new IllegalArgumentException("missed heartbeats must be 3..100, was " + missed);
      }
      this.heartbeat = interval;
      this.missedHeartbeats = missed;
      return this;
    }

    /** How often the node looks for due executions besides immediate execution (default 2 s). */
    public Builder pollingInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("polling interval must be positive");
      }
      this.pollingInterval = interval;
      return this;
    }

    /** Tenants' engines kept (default 64); the least recently used idle one is closed beyond. */
    public Builder engineCache(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("engine cache must be at least 1, was " + size);
      }
      this.engineCache = size;
      return this;
    }

    /** Where secret references resolve (default: environment variables). */
    public Builder secrets(SecretResolver secrets) {
      this.secrets = Objects.requireNonNull(secrets, "secrets");
      return this;
    }

    /**
     * APSIS requests per second per account, across the cluster (default
     * {@value SharedAccountBudget#DEFAULT_RATE}: APSIS's 100 less a margin for late wake-ups).
     */
    public Builder apsisRequestsPerSecond(double rate) {
      if (!(rate > 0)) {
        throw new IllegalArgumentException("apsisRequestsPerSecond must be positive, was " + rate);
      }
      this.apsisRequestsPerSecond = rate;
      return this;
    }

    /** How long the run journal ({@code crmsync_cluster_run}) keeps a run (default 7 days). */
    public Builder journalRetention(Duration retention) {
      if (retention == null || retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("journal retention must be positive");
      }
      this.journalRetention = retention;
      return this;
    }

    /**
     * How a full sync or webhook delivery that fails is tried again (default: after 10 s, doubling
     * up to 1 h, given up after 30 consecutive failures, about 21 hours of trying). A task given up
     * is deleted, a delivery's body with it, logged at error level and counted in
     * {@link ClusterStats#tasksAbandoned()}; a full sync can be requested again. Recurring jobs are
     * never given up: a failed one runs again at its next interval.
     */
    public Builder retries(Duration first, Duration max, int attempts) {
      if (first == null || first.isNegative() || first.isZero() || max == null || max.compareTo(first) < 0) {
        throw new IllegalArgumentException("retries need a positive first wait and a longest wait no shorter than it");
      }
      if (attempts < 1 || attempts > 1000) {
        throw new IllegalArgumentException("retry attempts must be 1..1000, was " + attempts);
      }
      this.retries = new TenantJobs.Retries(first, max, attempts);
      return this;
    }

    /** Whether the node applies the cluster tables on start (default true). */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /** Another tenant registry (default a {@link JdbcTenantRegistry} on the data source). */
    public Builder registry(TenantRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The clock for schedules (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the node (not started). */
    public ClusterNode build() {
      return new ClusterNode(this);
    }
  }
}

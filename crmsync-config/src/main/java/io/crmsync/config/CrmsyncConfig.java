package io.crmsync.config;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.Region;
import io.crmsync.apsis.export.EmailEventType;
import io.crmsync.efficy.EfficyClient;

import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.DeletedContactPolicy;
import io.crmsync.sync.QueryTagMapping;
import io.crmsync.sync.state.StateStore;
import io.crmsync.sync.StopMatchingPolicy;
import io.crmsync.sync.SyncCondition;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.reverse.ResponseAction;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * crmsync's configuration as flat keys ({@code efficy.url}, {@code mapping.EMAIL1}, ...; every key
 * is documented line by line in {@code cli/crmsync.properties.sample}), and what it builds: the two
 * clients, the state store and the engine. The CLI reads it from a properties file, the Spring Boot
 * starter from the {@code crmsync.*} properties. Values may name environment variables as
 * {@code ${NAME}} so secrets stay out of files. Every problem is reported as a
 * {@link ConfigException} naming the key at fault.
 *
 * <pre>{@code
 * CrmsyncConfig config = new CrmsyncConfig(Path.of("crmsync.properties"), System.getenv());
 * try (EfficyClient efficy = config.efficy(); StateStore store = config.stateStore();
 *     SyncEngine engine = config.engine(efficy, config.apsis(), store)) {
 *   engine.pollChanges();
 * }
 * }</pre>
 *
 * <p>A value is taken from, first to last: a {@code -D key=value} option of the command; the JVM
 * system property {@code crmsync.<key>}; the environment variable {@code CRMSYNC_<KEY>}, the key
 * in upper case with dots and camel-case humps as underscores ({@code efficy.apiKey} is
 * {@code CRMSYNC_EFFICY_API_KEY}); the file.
 */
public final class CrmsyncConfig {

  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /** Every single-valued key the CLI reads (families such as {@code mapping.*} come from the file or -D). */
  public static final List<String> KEYS = List.of("efficy.url", "efficy.timeZone", "efficy.customer", "efficy.apiKey", "efficy.user",
      "efficy.password", "efficy.allowInsecureHttp", "apsis.region", "apsis.baseUrl", "apsis.clientId",
      "apsis.clientSecret", "apsis.section", "apsis.keyspace", "apsis.importDirectory", "apsis.allowInsecureHttp",
      "state.jdbcUrl", "state.user", "state.password", "state.migrate", "sync.concurrency", "sync.clockSkew", "sync.deletedContact",
      "sync.stopMatching", "reverse.window", "reverse.firstLookback", "response.eventTypeField",
      "response.sourceField", "taskWebhook.secret", "taskWebhook.mode", "taskWebhook.header",
      "taskWebhook.defaultUser", "serve.address", "serve.port", "serve.pollInterval", "serve.reverseInterval",
      "serve.efficyWebhookSecret", "serve.queryInterval", "cluster.jdbcUrl", "cluster.user", "cluster.password",
      "cluster.poolSize", "cluster.nodeName", "cluster.threads", "cluster.heartbeatInterval", "cluster.missedHeartbeats",
      "cluster.pollingInterval", "cluster.engineCache", "cluster.apsisRequestsPerSecond", "cluster.journalRetention",
      "cluster.retryFirst", "cluster.retryMax", "cluster.retryAttempts");

  private final Properties properties = new Properties();
  private final java.util.function.Function<String, String> env;
  private final String referenceKind;
  private final Map<String, String> sources = new java.util.TreeMap<>();

  /** Reads a file, resolving {@code ${NAME}} from {@code env}. */
  public CrmsyncConfig(Path file, Map<String, String> env) {
    this(file, env, Map.of(), new Properties());
  }

  /**
   * Reads a file, then applies the overrides: {@code env}'s {@code CRMSYNC_*} variables, the
   * {@code crmsync.*} entries of {@code system}, and {@code overrides} (the {@code -D} options).
   */
  public CrmsyncConfig(Path file, Map<String, String> env, Map<String, String> overrides, Properties system) {
    this(load(file), env, overrides, system);
  }

  /**
   * A configuration from properties already read (for example a Spring {@code Environment}'s
   * {@code crmsync.*} entries, prefix removed), with the same overrides as a file's.
   */
  public CrmsyncConfig(Properties values, Map<String, String> env, Map<String, String> overrides, Properties system) {
    this.env = env::get;
    this.referenceKind = "environment variable";
    properties.putAll(values);
    applyOverrides(overrides, system);
  }

  private CrmsyncConfig(Properties values, java.util.function.Function<String, String> references) {
    this.env = references;
    this.referenceKind = "secret reference";
    properties.putAll(values);
    properties.stringPropertyNames().forEach(k -> sources.put(k, "tenant"));
  }

  /**
   * A configuration held as it is, with no overrides from the environment or system properties
   * (a cluster tenant's: one node serves many tenants, so its own environment must not leak into
   * them), whose {@code ${NAME}} references {@code references} resolves (null: not set).
   */
  public static CrmsyncConfig of(Properties values, java.util.function.Function<String, String> references) {
    return new CrmsyncConfig(values, java.util.Objects.requireNonNull(references, "references"));
  }

  private static Properties load(Path file) {
    Properties loaded = new Properties();
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--config", "file " + file + " does not exist");
    }
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      loaded.load(in);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--config", "file " + file + " is not a valid properties file: " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException("--config", "file " + file + " cannot be read: " + e.getMessage());
    }
    return loaded;
  }

  private void applyOverrides(Map<String, String> overrides, Properties system) {
    properties.stringPropertyNames().forEach(k -> sources.put(k, "file"));
    java.util.Set<String> candidates = new java.util.TreeSet<>(KEYS);
    candidates.addAll(properties.stringPropertyNames());
    for (String key : candidates) {
      String fromEnv = env.apply(envName(key));
      if (fromEnv != null) {
        properties.setProperty(key, fromEnv);
        sources.put(key, "environment " + envName(key));
      }
    }
    for (String name : system.stringPropertyNames()) {
      if (name.startsWith("crmsync.")) {
        properties.setProperty(name.substring(8), system.getProperty(name));
        sources.put(name.substring(8), "system property " + name);
      }
    }
    overrides.forEach((k, v) -> {
      properties.setProperty(k, v);
      sources.put(k, "-D");
    });
  }

  /** The environment variable that overrides a key: {@code efficy.apiKey} is {@code CRMSYNC_EFFICY_API_KEY}. */
  public static String envName(String key) {
    return "CRMSYNC_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').replace('-', '_')
        .toUpperCase(Locale.ROOT);
  }

  /** Whether a key holds a secret, whose value is never printed. */
  public static boolean secret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("secret") || k.contains("password") || k.contains("apikey") || k.contains("token");
  }

  /**
   * The configuration in effect, one {@code key=value  # source} line per key, sorted, with
   * secrets masked ({@code ****}, or {@code ${NAME}} when the file names a variable).
   */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
      String raw = properties.getProperty(key);
      String shown = secret(key) ? (raw != null && raw.trim().matches("\\$\\{[A-Za-z_][A-Za-z0-9_]*}") ? raw.trim() : "****")
          : raw;
      lines.add(key + "=" + shown + "  # " + sources.getOrDefault(key, "file"));
    }
    return lines;
  }

  /** A value with {@code ${NAME}} resolved, or null when the key is absent or blank. */
  public String value(String key) {
    String raw = properties.getProperty(key);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    Matcher m = ENV.matcher(raw.trim());
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null) {
        throw new ConfigException(key, referenceKind + " " + m.group(1) + " is not set");
      }
      m.appendReplacement(b, Matcher.quoteReplacement(v));
    }
    m.appendTail(b);
    return b.toString();
  }

  /** A value that must be set. */
  public String required(String key) {
    String v = value(key);
    if (v == null) {
      throw new ConfigException(key, "is required");
    }
    return v;
  }

  /** A value, or {@code fallback} when unset. */
  public String value(String key, String fallback) {
    String v = value(key);
    return v == null ? fallback : v;
  }

  /** An ISO-8601 duration, or {@code fallback} when unset. */
  public Duration duration(String key, Duration fallback) {
    String v = value(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new ConfigException(key, "'" + v + "' is not an ISO-8601 duration such as PT15M");
    }
  }

  /** A duration that must be above zero. */
  public Duration positive(String key, Duration fallback) {
    Duration d = duration(key, fallback);
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException(key, "must be positive, was " + d);
    }
    return d;
  }

  /** A duration that may be zero (off) but not negative. */
  public Duration notNegative(String key, Duration fallback) {
    Duration d = duration(key, fallback);
    if (d.isNegative()) {
      throw new ConfigException(key, "must not be negative, was " + d);
    }
    return d;
  }

  /** A whole number within bounds, or {@code fallback} when unset. */
  public int integer(String key, int fallback, int min, int max) {
    String v = value(key);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new ConfigException(key, "must be between " + min + " and " + max + ", was " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + v + "' is not a whole number");
    }
  }

  private <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
    String v = value(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "'" + v + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  /** The Efficy client. */
  public EfficyClient efficy() {
    return efficy(io.crmsync.efficy.EfficyListener.NONE);
  }

  /** The Efficy client, reporting to {@code listener}. */
  public EfficyClient efficy(io.crmsync.efficy.EfficyListener listener) {
    try {
      return efficyBuilder(listener).build();
    } catch (IllegalStateException e) {
      throw new ConfigException("efficy.url", e.getMessage());
    }
  }

  /**
   * The Efficy client's builder with everything this configuration says, for a host that sets
   * more before building (the cluster shares one HTTP client among its tenants).
   */
  public EfficyClient.Builder efficyBuilder(io.crmsync.efficy.EfficyListener listener) {
    String url = required("efficy.url");
    EfficyClient.Builder b;
    try {
      b = EfficyClient.builder().baseUri(URI.create(url));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("efficy.url", e.getMessage());
    }
    String customer = value("efficy.customer");
    if (customer != null) {
      b.customer(customer);
    }
    String apiKey = value("efficy.apiKey");
    if (apiKey != null) {
      b.apiKey(apiKey);
    } else if (value("efficy.user") != null) {
      b.userPassword(required("efficy.user"), required("efficy.password"));
    } else {
      throw new ConfigException("efficy.apiKey", "is required (or efficy.user and efficy.password)");
    }
    b.allowInsecureHttp(Boolean.parseBoolean(value("efficy.allowInsecureHttp", "false")));
    b.listener(listener);
    return b;
  }

  /** The APSIS client. */
  public ApsisClient apsis() {
    return apsis(io.crmsync.apsis.ApsisListener.NONE);
  }

  /** The APSIS client, reporting to {@code listener}. */
  public ApsisClient apsis(io.crmsync.apsis.ApsisListener listener) {
    try {
      return apsisBuilder(listener).build();
    } catch (IllegalStateException e) {
      throw new ConfigException("apsis.baseUrl", e.getMessage());
    }
  }

  /**
   * The APSIS client's builder with everything this configuration says, for a host that sets more
   * before building (the cluster adds the account's shared budget and a shared HTTP client).
   */
  public ApsisClient.Builder apsisBuilder(io.crmsync.apsis.ApsisListener listener) {
    ApsisClient.Builder b = ApsisClient.builder();
    String base = value("apsis.baseUrl");
    if (base != null) {
      try {
        b.baseUri(URI.create(base));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("apsis.baseUrl", e.getMessage());
      }
    } else {
      try {
        b.region(Region.of(value("apsis.region", "EU")));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("apsis.region", e.getMessage());
      }
    }
    b.clientId(required("apsis.clientId")).clientSecret(required("apsis.clientSecret"));
    b.allowInsecureHttp(Boolean.parseBoolean(value("apsis.allowInsecureHttp", "false")));
    b.listener(listener);
    String imports = value("apsis.importDirectory");
    if (imports != null) {
      try {
        b.importDirectory(java.nio.file.Path.of(imports));
      } catch (java.nio.file.InvalidPathException e) {
        throw new ConfigException("apsis.importDirectory", "'" + imports + "' is not a path");
      }
    }
    return b;
  }

  /**
   * The state store on a host's data source (the Spring Boot starter's), creating its tables
   * unless {@code state.migrate} is false.
   */
  public StateStore stateStore(javax.sql.DataSource dataSource) {
    try {
      return JdbcStateStore.builder().dataSource(dataSource)
          .migrate(Boolean.parseBoolean(value("state.migrate", "true"))).build();
    } catch (RuntimeException e) {
      throw new ConfigException("state.migrate", "the state store cannot be opened on the data source: " + e.getMessage());
    }
  }

  /** The state store. */
  public StateStore stateStore() {
    String url = value("state.jdbcUrl", "jdbc:h2:file:./crmsync-state");
    try {
      String user = value("state.user");
      return user == null ? JdbcStateStore.create(url) : JdbcStateStore.create(url, user, value("state.password", ""));
    } catch (RuntimeException e) {
      throw new ConfigException("state.jdbcUrl", "the state store cannot be opened: " + e.getMessage());
    }
  }

  /** The engine, on the given clients and store. */
  public SyncEngine engine(EfficyClient efficy, ApsisClient apsis, StateStore store) {
    return engine(efficy, apsis, store, new io.crmsync.sync.SyncListener() {});
  }

  /** The engine, reporting to {@code listener}. */
  public SyncEngine engine(EfficyClient efficy, ApsisClient apsis, StateStore store, io.crmsync.sync.SyncListener listener) {
    return engineBuilder(efficy, apsis, store, listener).build();
  }

  /**
   * The engine's builder with everything this configuration says, for a host that sets more
   * before building (the cluster sets the instance id and lease time).
   */
  public SyncEngine.Builder engineBuilder(EfficyClient efficy, ApsisClient apsis, StateStore store,
      io.crmsync.sync.SyncListener listener) {
    SyncEngine.Builder b = SyncEngine.builder().efficy(efficy).apsis(apsis).stateStore(store).listener(listener)
        .section(required("apsis.section"))
        .keyspace(value("apsis.keyspace", "com.apsis1.keyspaces.crm-id"))
        .stopMatching(choice("sync.stopMatching", StopMatchingPolicy.class, StopMatchingPolicy.LEAVE))
        .deletedContact(choice("sync.deletedContact", DeletedContactPolicy.class, DeletedContactPolicy.OPT_OUT))
        .concurrency(integer("sync.concurrency", 8, 1, 64))
        .clockSkew(notNegative("sync.clockSkew", Duration.ofMinutes(5)))
        .efficyTimeZone(zone("efficy.timeZone"))
        .reverseWindows(positive("reverse.window", Duration.ofDays(1)), positive("reverse.firstLookback", Duration.ofDays(1)));
    try {
      b.mapping(new PropertiesMappingProvider(properties));
    } catch (IllegalArgumentException e) {
      String key = e.getMessage().contains(":") ? e.getMessage().substring(0, e.getMessage().indexOf(':')) : "mapping.*";
      throw new ConfigException(key, e.getMessage().substring(e.getMessage().indexOf(':') + 1).trim());
    }
    b.consentPolicy(ConsentPolicy.of(consents().toArray(new ConsentMapping[0])));
    b.condition(condition());
    for (String n : indexes("query.")) {
      String key = "query." + n + ".key";
      long k = integer(key, 0, 1, Integer.MAX_VALUE);
      b.query(QueryTagMapping.of(k, required("query." + n + ".tag")));
    }
    b.responseMapping(responses());
    String secret = value("taskWebhook.secret");
    if (secret != null) {
      try {
        String mode = value("taskWebhook.mode", "bearer");
        if (!mode.equalsIgnoreCase("bearer") && !mode.equalsIgnoreCase("hmac")) {
          throw new ConfigException("taskWebhook.mode", "'" + mode + "' is not bearer or hmac");
        }
        TaskWebhookConfig config = mode.equalsIgnoreCase("hmac")
            ? TaskWebhookConfig.hmac(secret, value("taskWebhook.header", "X-Signature"))
            : TaskWebhookConfig.bearer(secret);
        String user = value("taskWebhook.defaultUser");
        b.taskWebhook(user == null ? config : config.withDefaultUser(user));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("taskWebhook.secret", e.getMessage());
      }
    }
    return b;
  }

  private List<ConsentMapping> consents() {
    List<ConsentMapping> list = new ArrayList<>();
    for (String n : indexes("consent.")) {
      String prefix = "consent." + n + ".";
      String topic = required(prefix + "topic");
      String channel = switch (value(prefix + "channel", "email").toLowerCase(Locale.ROOT)) {
        case "email" -> Channels.EMAIL;
        case "sms" -> Channels.SMS;
        default -> value(prefix + "channel");
      };
      String checkbox = value(prefix + "checkbox");
      String profile = value(prefix + "profile");
      try {
        if (checkbox != null && profile == null) {
          list.add(ConsentMapping.checkbox(checkbox, topic, channel));
        } else if (profile != null && checkbox == null) {
          list.add(ConsentMapping.profile(integer(prefix + "profile", 0, 1, Integer.MAX_VALUE), topic, channel));
        } else {
          throw new ConfigException(prefix + "checkbox", "set exactly one of " + prefix + "checkbox and " + prefix + "profile");
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException(prefix + "checkbox", e.getMessage());
      }
    }
    return list;
  }

  private SyncCondition condition() {
    List<SyncCondition> all = new ArrayList<>();
    for (String n : indexes("condition.")) {
      String prefix = "condition." + n + ".";
      String field = required(prefix + "field");
      String op = value(prefix + "op", "equals").toLowerCase(Locale.ROOT);
      try {
        all.add(switch (op) {
          case "equals" -> SyncCondition.equalTo(field, required(prefix + "value"));
          case "notequals" -> SyncCondition.not(SyncCondition.equalTo(field, required(prefix + "value")));
          case "in" -> SyncCondition.in(field, required(prefix + "value").split("\\s*,\\s*"));
          case "notempty" -> SyncCondition.notEmpty(field);
          default -> throw new ConfigException(prefix + "op", "'" + op + "' is not equals, notEquals, in or notEmpty");
        });
      } catch (IllegalArgumentException e) {
        throw new ConfigException(prefix + "field", e.getMessage());
      }
    }
    return all.isEmpty() ? SyncCondition.always() : SyncCondition.and(all.toArray(new SyncCondition[0]));
  }

  private ResponseMapping responses() {
    // A blank response.eventTypeField turns the field off; only an absent key means the default.
    String eventTypeField = properties.containsKey("response.eventTypeField")
        ? value("response.eventTypeField") : "F_EVENT_TYPE";
    ResponseMapping mapping = ResponseMapping.defaults().withFields(value("response.sourceField", "F_SOURCE_ID"),
        eventTypeField);
    for (EmailEventType type : EmailEventType.values()) {
      String key = "response." + type.name();
      String spec = value(key);
      if (spec == null) {
        continue;
      }
      List<ResponseAction> actions = new ArrayList<>();
      for (String part : spec.split("\\s*,\\s*")) {
        try {
          if (part.equalsIgnoreCase("none")) {
            continue;
          } else if (part.equalsIgnoreCase("history")) {
            actions.add(ResponseAction.history());
          } else if (part.toLowerCase(Locale.ROOT).startsWith("eventtime:")) {
            actions.add(ResponseAction.eventTimeTo(part.substring("eventtime:".length())));
          } else if (part.toLowerCase(Locale.ROOT).startsWith("set:") && part.contains("=")) {
            String assignment = part.substring(4);
            actions.add(ResponseAction.set(assignment.substring(0, assignment.indexOf('=')),
                assignment.substring(assignment.indexOf('=') + 1)));
          } else {
            throw new ConfigException(key, "'" + part + "' is not history, eventTime:FIELD, set:FIELD=VALUE or none");
          }
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key, e.getMessage());
        }
      }
      mapping = mapping.with(type, actions.toArray(new ResponseAction[0]));
    }
    return mapping;
  }

  private java.time.ZoneId zone(String key) {
    String v = value(key);
    if (v == null) {
      return java.time.ZoneOffset.UTC;
    }
    try {
      return java.time.ZoneId.of(v);
    } catch (java.time.DateTimeException e) {
      throw new ConfigException(key, "is not a time zone id such as UTC or Europe/Brussels: " + e.getMessage());
    }
  }

  /** The N of keys {@code prefix + N + ".something"}, sorted. */
  private TreeSet<String> indexes(String prefix) {
    TreeSet<String> n = new TreeSet<>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(prefix)) {
        String rest = name.substring(prefix.length());
        int dot = rest.indexOf('.');
        if (dot > 0) {
          n.add(rest.substring(0, dot));
        }
      }
    }
    return n;
  }
}

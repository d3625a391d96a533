package io.crmsync.config;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.ApsisListener;
import io.crmsync.config.keys.ConfigKey;
import io.crmsync.config.keys.CrmsyncKeys;
import io.crmsync.config.keys.KeyRegistry;
import io.crmsync.config.keys.KeyScope;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.EfficyListener;
import io.crmsync.sync.QueryTagMapping;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import io.crmsync.sync.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * crmsync's configuration as flat keys ({@code efficy.url}, {@code mapping.EMAIL1}, ...), read
 * through the {@link KeyRegistry} that declares each key once ({@link CrmsyncKeys}), and what it
 * builds: the two clients, the state store and the engine. The CLI reads it from a properties
 * file, the Spring Boot starter from the {@code crmsync.*} properties, a cluster node from a
 * tenant's stored keys. Values may name environment variables as {@code ${NAME}} so secrets stay
 * out of files. Every problem is a {@link ConfigException} naming the key at fault; a message
 * never quotes a secret or a value that came from a reference.
 *
 * <pre>{@code
 * CrmsyncConfig config = new CrmsyncConfig(Path.of("crmsync.properties"), System.getenv());
 * config.warnings(KeyScope.FILE).forEach(System.err::println);   // unknown keys, renamed keys
 * try (EfficyClient efficy = config.efficy(); StateStore store = config.stateStore();
 *     SyncEngine engine = config.engine(efficy, config.apsis(), store)) {
 *   engine.pollChanges();
 * }
 * }</pre>
 *
 * <p>A value is taken from, first to last: a {@code -D key=value} option of the command; the JVM
 * system property {@code crmsync.<key>}; the environment variable {@code CRMSYNC_<KEY>}
 * ({@link ConfigKey#envName()}: {@code efficy.apiKey} is {@code CRMSYNC_EFFICY_API_KEY}); the
 * file. A key an earlier release called otherwise ({@code serve.pollInterval}, now
 * {@code schedule.pollInterval}) is read under its new name with a warning.
 */
public final class CrmsyncConfig {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Properties properties = new Properties();
    private final Function<String, String> references;
    private final String referenceKind;
    private final Map<String, String> sources = new TreeMap<>();
    private final KeyRegistry registry;
    private final List<String> notices = new ArrayList<>();
    private final PairAssembly assembly = new PairAssembly(this);

    /** Reads a file, resolving {@code ${NAME}} from {@code env}. */
    public CrmsyncConfig(Path file, Map<String, String> env) {
        this(file, env, Map.of(), new Properties());
    }

    /**
     * Reads a file, then applies the overrides: {@code env}'s {@code CRMSYNC_*} variables, the
     * {@code crmsync.*} entries of {@code system}, and {@code overrides} (the {@code -D} options).
     */
    public CrmsyncConfig(Path file, Map<String, String> env, Map<String, String> overrides, Properties system) {
        this(load(file), env, overrides, system, CrmsyncKeys.registry());
    }

    /**
     * A configuration from properties already read (for example a Spring {@code Environment}'s
     * {@code crmsync.*} entries, prefix removed), with the same overrides as a file's.
     */
    public CrmsyncConfig(Properties values, Map<String, String> env, Map<String, String> overrides, Properties system) {
        this(values, env, overrides, system, CrmsyncKeys.registry());
    }

    /**
     * As {@link #CrmsyncConfig(Properties, Map, Map, Properties)}, reading the keys of
     * {@code registry} (the CLI adds the cluster's node keys).
     */
    public CrmsyncConfig(
            Properties values,
            Map<String, String> env,
            Map<String, String> overrides,
            Properties system,
            KeyRegistry registry) {
        this.references = env::get;
        this.referenceKind = "environment variable";
        this.registry = Objects.requireNonNull(registry, "registry");
        properties.putAll(values);
        properties.stringPropertyNames().forEach(k -> sources.put(k, "file"));
        ConfigLoading.applyOverrides(properties, sources, registry, env, overrides, system);
        ConfigLoading.applyRenames(properties, sources, registry, notices);
    }

    private CrmsyncConfig(Properties values, Function<String, String> references, KeyRegistry registry) {
        this.references = references;
        this.referenceKind = "secret reference";
        this.registry = registry;
        properties.putAll(values);
        properties.stringPropertyNames().forEach(k -> sources.put(k, "tenant"));
        ConfigLoading.applyRenames(properties, sources, registry, notices);
    }

    /**
     * A configuration held as it is, with no overrides from the environment or system properties
     * (a cluster tenant's: one node serves many tenants, so its own environment must not leak into
     * them), whose {@code ${NAME}} references {@code references} resolves (null: not set).
     */
    public static CrmsyncConfig of(Properties values, Function<String, String> references) {
        return new CrmsyncConfig(values, Objects.requireNonNull(references, "references"), CrmsyncKeys.registry());
    }

    /** Reads a properties file, naming {@code --config} when it cannot be read. */
    public static Properties load(Path file) {
        return ConfigLoading.load(file);
    }

    /** The registry the keys are read through. */
    public KeyRegistry registry() {
        return registry;
    }

    /**
     * What a person should know of this configuration in {@code scope}: keys read under a new name,
     * changed defaults that touch it, and each unknown key with the nearest known one
     * ({@code efficy.apikey is not a key; did you mean efficy.apiKey?}).
     */
    public List<String> warnings(KeyScope scope) {
        List<String> all = new ArrayList<>(notices);
        all.addAll(unknownKeys(scope));
        return all;
    }

    /** Each key not known in {@code scope}, with the nearest known one when there is one. */
    public List<String> unknownKeys(KeyScope scope) {
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (registry.knows(name, scope)) {
                continue;
            }
            String where = registry.knowsAnywhere(name)
                    ? " here (" + scope.name().toLowerCase(Locale.ROOT) + " configuration)"
                    : "";
            unknown.add(name + " is not a key" + where
                    + registry.nearest(name, scope)
                            .map(n -> "; did you mean " + n + "?")
                            .orElse(""));
        }
        return unknown;
    }

    /**
     * Refuses a configuration with keys unknown in {@code scope}: strict mode.
     *
     * @throws ConfigException naming the first unknown key, and listing them all
     */
    public void requireKnownKeys(KeyScope scope) {
        List<String> unknown = unknownKeys(scope);
        if (!unknown.isEmpty()) {
            String first = unknown.get(0);
            throw new ConfigException(
                    first.substring(0, first.indexOf(' ')), "unknown keys (strict): " + String.join("; ", unknown));
        }
    }

    /**
     * The configuration in effect, one {@code key=value  # source} line per key set and per registry
     * key with a default, sorted; secrets and JDBC URLs' passwords masked ({@code ****}, or
     * {@code ${NAME}} when the file names a variable).
     */
    public List<String> describe() {
        return ConfigLoading.describe(this, properties, sources);
    }

    /** A URL with any password in it (user info, {@code password=} parameters) as {@code ****}. */
    public static String maskUrlSecrets(String raw) {
        return ConfigLoading.maskUrlSecrets(raw);
    }

    /** Whether a key holds a secret: declared so, or (for keys the registry does not know) named like one. */
    public boolean isSecret(String key) {
        return registry.key(key).map(ConfigKey::secret).orElseGet(() -> {
            String k = key.toLowerCase(Locale.ROOT);
            return k.contains("secret") || k.contains("password") || k.contains("apikey") || k.contains("token");
        });
    }

    /** The names of the keys set. */
    public Set<String> names() {
        return new TreeSet<>(properties.stringPropertyNames());
    }

    /** The raw values as set (references unresolved), under their current names. */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /**
     * Parses every declared key that is set, so a bad value is found before any work starts, not
     * by the one job that reads it.
     *
     * @throws ConfigException naming the first key whose value does not parse
     */
    public void checkValues() {
        for (ConfigKey<?> key : registry.keys()) {
            if (isSet(key)) {
                get(key);
            }
        }
    }

    /** Whether the key is set (not blank). */
    public boolean isSet(ConfigKey<?> key) {
        String raw = properties.getProperty(key.name());
        return raw != null && !raw.isBlank();
    }

    /**
     * The key's value, or its default, or null when it has neither.
     *
     * @throws ConfigException when the value does not parse, naming the key and what was expected
     */
    public <T> T get(ConfigKey<T> key) {
        String raw = properties.getProperty(key.name());
        if (raw == null || raw.isBlank()) {
            return key.defaultValue().orElse(null);
        }
        String resolved = value(key.name());
        try {
            return key.type().parse(resolved);
        } catch (IllegalArgumentException e) {
            boolean showable = !key.secret() && !REFERENCE.matcher(raw).find();
            throw new ConfigException(
                    key.name(), (showable ? "'" + resolved.trim() + "' " : "the value ") + e.getMessage());
        }
    }

    /** The key's value or default. @throws ConfigException when it has neither */
    public <T> T require(ConfigKey<T> key) {
        T v = get(key);
        if (v == null) {
            throw new ConfigException(key.name(), "is required");
        }
        return v;
    }

    /** A value with {@code ${NAME}} resolved, or null when the key is absent or blank. */
    public String value(String key) {
        String raw = properties.getProperty(key);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Matcher m = REFERENCE.matcher(raw.trim());
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = references.apply(m.group(1));
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

    /** The N of keys {@code prefix + N + ".something"}, sorted. */
    TreeSet<String> indexes(String prefix) {
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

    // --- What it builds (PairAssembly does the work) -----------------------------------------------

    /**
     * The task webhook's configuration, when {@code taskWebhook.secret} is set.
     *
     * @throws ConfigException naming the key at fault
     */
    public Optional<TaskWebhookConfig> taskWebhook() {
        return new EngineOptions(this).taskWebhook();
    }

    /**
     * The stored queries synced as tags ({@code query.<n>.*}), empty when none is configured.
     *
     * @throws ConfigException naming the key at fault
     */
    public List<QueryTagMapping> queries() {
        return new EngineOptions(this).queries();
    }

    /** The Efficy client. */
    public EfficyClient efficy() {
        return efficy(EfficyListener.NONE);
    }

    /** The Efficy client, reporting to {@code listener}. */
    public EfficyClient efficy(EfficyListener listener) {
        return assembly.efficy(listener);
    }

    /**
     * The Efficy client's builder with everything this configuration says, for a host that sets
     * more before building (the cluster shares one HTTP client among its tenants).
     */
    public EfficyClient.Builder efficyBuilder(EfficyListener listener) {
        return assembly.efficyBuilder(listener);
    }

    /** The APSIS client. */
    public ApsisClient apsis() {
        return apsis(ApsisListener.NONE);
    }

    /** The APSIS client, reporting to {@code listener}. */
    public ApsisClient apsis(ApsisListener listener) {
        return assembly.apsis(listener);
    }

    /**
     * The APSIS client's builder with everything this configuration says, for a host that sets more
     * before building (the cluster adds the account's shared budget and a shared HTTP client).
     */
    public ApsisClient.Builder apsisBuilder(ApsisListener listener) {
        return assembly.apsisBuilder(listener);
    }

    /**
     * The state store on a host's data source (the Spring Boot starter's), creating its tables
     * unless {@code state.migrate} is false.
     */
    public StateStore stateStore(DataSource dataSource) {
        return assembly.stateStore(dataSource);
    }

    /** The state store at {@code state.jdbcUrl}. */
    public StateStore stateStore() {
        return assembly.stateStore();
    }

    /** The engine, on the given clients and store. */
    public SyncEngine engine(EfficyClient efficy, ApsisClient apsis, StateStore store) {
        return engine(efficy, apsis, store, SyncListener.NONE);
    }

    /** The engine, reporting to {@code listener}. */
    public SyncEngine engine(EfficyClient efficy, ApsisClient apsis, StateStore store, SyncListener listener) {
        return engineBuilder(efficy, apsis, store, listener).build();
    }

    /**
     * The engine's builder with everything this configuration says, for a host that sets more
     * before building (the cluster sets the instance id and lease time).
     */
    public SyncEngine.Builder engineBuilder(
            EfficyClient efficy, ApsisClient apsis, StateStore store, SyncListener listener) {
        return assembly.engineBuilder(efficy, apsis, store, listener);
    }
}

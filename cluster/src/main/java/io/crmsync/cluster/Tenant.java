package io.crmsync.cluster;

import io.crmsync.config.keys.ConfigKey;
import io.crmsync.config.keys.CrmsyncKeys;
import io.crmsync.config.keys.KeyRegistry;
import io.crmsync.config.keys.KeyScope;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One customer's Efficy/APSIS pair in a cluster: its id, its configuration (the same keys as the
 * CLI's properties file), whether it is paused, and the registry's version of it.
 *
 * <p>A tenant holds no secret. Every key that names a secret ({@code efficy.apiKey},
 * {@code efficy.password}, {@code apsis.clientSecret}, {@code taskWebhook.secret},
 * {@code webhooks.efficySecret}…) must hold a reference, {@code ${NAME}}, that the node's
 * {@link SecretResolver} turns into the value when it builds the tenant's engine; a literal secret
 * is refused, and so is a reference in any other key (a URL must not carry a secret to a server the
 * tenant names). Which names a reference may use is the node's {@link SecretNamespace}. Keys of the state store ({@code state.*}) are refused too: the cluster gives each
 * tenant its own schema.
 *
 * <p>Ids are 1 to 40 characters of lower-case letters, digits and {@code -}, starting with a
 * letter or digit: they appear in webhook paths ({@code /t/{tenant}/...}) and schema names.
 *
 * <pre>{@code
 * Properties p = new Properties();
 * p.setProperty("efficy.url", "https://acme.efficy.cloud/crm");
 * p.setProperty("efficy.apiKey", "${ACME_EFFICY_KEY}");
 * Tenant acme = Tenant.of("acme", p);
 * }</pre>
 *
 * @param id the tenant id
 * @param config the configuration, sorted by key, unmodifiable
 * @param paused whether its jobs are stopped
 * @param version the registry's version, 0 before it is stored
 */
public record Tenant(String id, Map<String, String> config, boolean paused, long version) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final KeyRegistry KEYS = CrmsyncKeys.registry();
    /**
     * Keys a tenant could hold before they became the node's ({@code cluster.allowInsecureHttp},
     * {@code apsis.importDirectory} in the node's file): a stored tenant that holds one still loads,
     * the node's setting applies, and {@link TenantAdmin} refuses them in a new configuration.
     */
    static final Set<String> NODE_SETTINGS =
            Set.of("efficy.allowInsecureHttp", "apsis.allowInsecureHttp", "apsis.importDirectory");

    /** A {@code ${NAME}} reference; group 1 is the name. */
    static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** Checks the id and that the configuration holds references, never secrets. */
    public Tenant {
        id = checkId(id);
        Objects.requireNonNull(config, "config");
        for (Map.Entry<String, String> e : config.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "key");
            String value = e.getValue();
            if (value == null) {
                throw new ClusterException("tenant " + id + ": " + key + " has no value");
            }
            if (!KEYS.knows(key, KeyScope.TENANT) && KEYS.knowsAnywhere(key) && !NODE_SETTINGS.contains(key)) {
                throw new ClusterException("tenant " + id + ": " + key + " is not a tenant key"
                        + (key.startsWith("state.")
                                ? "; the cluster keeps each tenant's state in a schema of its own"
                                : "; it is a setting of the node or of another host"));
            }
            boolean secret = KEYS.key(key).map(ConfigKey::secret).orElse(false)
                    || KEYS.renamed(key).map(ConfigKey::secret).orElse(false)
                    || (!KEYS.knowsAnywhere(key)
                            && key.toLowerCase(Locale.ROOT).matches(".*(secret|password|apikey|token).*"));
            if (secret && !REFERENCE.matcher(value.trim()).matches()) {
                throw new ClusterException("tenant " + id + ": " + key + " holds a literal secret; store a reference "
                        + "such as ${TENANT_" + id.toUpperCase(Locale.ROOT).replace('-', '_') + "_"
                        + key.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT) + "} that the node resolves");
            }
            if (!secret && value.contains("${")) {
                throw new ClusterException("tenant " + id + ": " + key + " holds a reference; only keys that name a "
                        + "secret may refer to the node's secrets");
            }
        }
        config = Collections.unmodifiableMap(new TreeMap<>(config));
    }

    /** A new, active tenant from properties. */
    public static Tenant of(String id, Properties properties) {
        Map<String, String> map = new TreeMap<>();
        for (String k : properties.stringPropertyNames()) {
            map.put(k, properties.getProperty(k));
        }
        return new Tenant(id, map, false, 0);
    }

    /**
     * Checks a tenant id.
     *
     * @return the id
     * @throws ClusterException naming the id, when it is not 1 to 40 of {@code [a-z0-9-]}
     */
    public static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ClusterException("tenant id '" + id + "' must be 1 to 40 characters of a-z, 0-9 and '-', "
                    + "starting with a letter or digit");
        }
        return id;
    }

    /** The configuration as properties. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(config);
        return p;
    }

    /** A copy with another configuration (same id, pause state and version). */
    public Tenant withConfig(Properties properties) {
        Tenant fresh = of(id, properties);
        return new Tenant(id, fresh.config, paused, version);
    }

    /** A copy paused or active. */
    public Tenant withPaused(boolean paused) {
        return new Tenant(id, config, paused, version);
    }

    /** The tenant's id, state and how many keys it has; never its values. */
    @Override
    public String toString() {
        return "Tenant{id=" + id + ", paused=" + paused + ", version=" + version + ", keys=" + config.size() + "}";
    }
}

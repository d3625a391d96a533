package io.crmsync.spring;

import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.ConfigKey;
import io.crmsync.config.keys.CrmsyncKeys;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.config.keys.KeyFamily;
import io.crmsync.config.keys.KeyRegistry;
import io.crmsync.config.keys.KeyScope;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Reads the {@code crmsync.*} entries of a Spring environment as the flat keys of the
 * {@link KeyRegistry}: the prefix removed, and Spring's relaxed forms ({@code api-key},
 * {@code apiKey}, {@code apikey}) brought to the registry's spelling ({@code apiKey}); a key an
 * earlier release named otherwise keeps its old spelling here, so the configuration reads it with
 * a warning. Family keys ({@code mapping.EMAIL1}, {@code consent.1.checkbox}) keep what follows the
 * family's name. Package-private.
 */
final class EnvironmentKeys {

    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentKeys.class);
    private static final String PREFIX = "crmsync.";
    private static final Map<String, String> CANONICAL = new HashMap<>();

    static {
        KeyRegistry registry = CrmsyncKeys.registry();
        for (ConfigKey<?> key : registry.keys()) {
            CANONICAL.put(canonical(key.name()), key.name());
            key.formerNames().forEach(n -> CANONICAL.put(canonical(n), n));
        }
        for (KeyFamily family : registry.families()) {
            String name = family.prefix().substring(0, family.prefix().length() - 1);
            CANONICAL.put(canonical(name), name);
        }
    }

    private EnvironmentKeys() {}

    private static String canonical(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /**
     * The configuration of the environment's {@code crmsync.*} properties, its warnings logged (an
     * unknown key names the nearest one); with {@code crmsync.strict=true} an unknown key fails.
     */
    static CrmsyncConfig config(ConfigurableEnvironment environment) {
        CrmsyncConfig config = new CrmsyncConfig(of(environment), System.getenv(), Map.of(), new Properties());
        List<String> warnings = config.warnings(KeyScope.SPRING).stream()
                .map(w -> spring(w, config.names()))
                .toList();
        if (config.get(HostKeys.STRICT) && !config.unknownKeys(KeyScope.SPRING).isEmpty()) {
            throw new ConfigException(
                    ConfigKey.springName(HostKeys.STRICT.name()), "unknown keys: " + String.join("; ", warnings));
        }
        warnings.forEach(w -> LOG.warn("crmsync configuration: {}", w));
        return config;
    }

    /** A warning with the keys in the form a Spring user writes them. */
    private static String spring(String warning, Set<String> names) {
        StringBuilder b = new StringBuilder();
        for (String word : warning.split(" ", -1)) {
            String bare = word.replaceAll("[;?,:]+$", "");
            boolean key = !bare.isEmpty()
                    && (names.contains(bare)
                            || CrmsyncKeys.registry().knowsAnywhere(bare)
                            || CrmsyncKeys.registry().renamed(bare).isPresent());
            b.append(b.length() == 0 ? "" : " ")
                    .append(key ? ConfigKey.springName(bare) + word.substring(bare.length()) : word);
        }
        return b.toString();
    }

    /** The flat keys and their values (placeholders resolved by Spring). */
    static Properties of(ConfigurableEnvironment environment) {
        Properties flat = new Properties();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (!name.startsWith(PREFIX)) {
                    continue;
                }
                String key = key(name.substring(PREFIX.length()));
                if (!flat.containsKey(key)) { // the first source wins, as in Spring
                    String value = environment.getProperty(name);
                    if (value != null) {
                        flat.setProperty(key, value);
                    }
                }
            }
        }
        return flat;
    }

    /** The registry's spelling of a relaxed key. */
    static String key(String relaxed) {
        String known = CANONICAL.get(canonical(relaxed));
        if (known != null) {
            return known;
        }
        int dot = relaxed.indexOf('.');
        if (dot > 0) {
            String family = CANONICAL.get(canonical(relaxed.substring(0, dot)));
            if (family != null && !family.contains(".")) {
                return family + relaxed.substring(dot);
            }
        }
        return relaxed;
    }
}

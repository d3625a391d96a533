package io.crmsync.spring;

import io.crmsync.config.CrmsyncConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Reads the {@code crmsync.*} entries of a Spring environment as the flat keys of
 * {@link CrmsyncConfig}: the prefix removed, and Spring's relaxed forms ({@code api-key},
 * {@code apiKey}, {@code apikey}) brought to the CLI's spelling ({@code apiKey}). Family keys
 * ({@code mapping.EMAIL1}, {@code consent.1.checkbox}) keep what follows the family's name.
 * Package-private.
 */
final class EnvironmentKeys {

  private static final String PREFIX = "crmsync.";
  private static final Map<String, String> CANONICAL = new HashMap<>();

  static {
    for (String key : CrmsyncConfig.KEYS) {
      CANONICAL.put(canonical(key), key);
    }
    for (String family : new String[] {"mapping", "consent", "condition", "query", "response", "taskWebhook", "state"}) {
      CANONICAL.put(canonical(family), family);
    }
  }

  private EnvironmentKeys() {}

  private static String canonical(String key) {
    return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
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

  /** The CLI's spelling of a relaxed key. */
  static String key(String relaxed) {
    String known = CANONICAL.get(canonical(relaxed));
    if (known != null) {
      return known;
    }
    int dot = relaxed.indexOf('.');
    if (dot > 0) {
      String family = CANONICAL.get(canonical(relaxed.substring(0, dot)));
      if (family != null) {
        return family + relaxed.substring(dot);
      }
    }
    return relaxed;
  }
}

package io.crmsync.config;

import io.crmsync.config.keys.ConfigKey;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.config.keys.KeyRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a {@link CrmsyncConfig} is read and shown: the overrides from the environment, system
 * properties and {@code -D} options, keys read under their new names, and the masked listing of
 * {@code crmsync config}. Package-private.
 */
final class ConfigLoading {

    private ConfigLoading() {}

    /** See {@link CrmsyncConfig#load}. */
    static Properties load(Path file) {
        Properties loaded = new Properties();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--config", "file " + file + " does not exist");
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded.load(in);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "--config", "file " + file + " is not a valid properties file: " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException("--config", "file " + file + " cannot be read: " + e.getMessage());
        }
        return loaded;
    }

    static void applyOverrides(
            Properties properties,
            Map<String, String> sources,
            KeyRegistry registry,
            Map<String, String> env,
            Map<String, String> overrides,
            Properties system) {
        Set<String> candidates = new TreeSet<>(properties.stringPropertyNames());
        registry.keys().forEach(k -> {
            candidates.add(k.name());
            candidates.addAll(k.formerNames());
        });
        for (String key : candidates) {
            String fromEnv = env.get(ConfigKey.envName(key));
            if (fromEnv != null) {
                properties.setProperty(key, fromEnv);
                sources.put(key, "environment " + ConfigKey.envName(key));
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

    /** Reads keys an earlier release named otherwise under their new names, noting each. */
    static void applyRenames(
            Properties properties, Map<String, String> sources, KeyRegistry registry, List<String> notices) {
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            Optional<ConfigKey<?>> renamed = registry.renamed(name);
            if (renamed.isEmpty()) {
                continue;
            }
            String now = renamed.get().name();
            if (properties.containsKey(now)) {
                notices.add(name + " is ignored: it is now called " + now + ", which is set too");
            } else {
                properties.setProperty(now, properties.getProperty(name));
                sources.put(now, sources.getOrDefault(name, "file") + " as " + name);
                notices.add(name + " is now called " + now + "; read as such (rename it)");
            }
            properties.remove(name);
            sources.remove(name);
        }
        boolean responses = properties.stringPropertyNames().stream().anyMatch(k -> k.startsWith("response."));
        if (responses && !properties.containsKey(HostKeys.REVERSE_INTERVAL.name())) {
            notices.add("response.* is set but " + HostKeys.REVERSE_INTERVAL.name() + " is not: the serve, starter"
                    + " and cluster schedules do not run reverse sync (before 0.2 they ran it every 15 minutes); set "
                    + HostKeys.REVERSE_INTERVAL.name() + "=PT15M to keep that");
        }
    }

    /** See {@link CrmsyncConfig#describe()}. */
    static List<String> describe(CrmsyncConfig config, Properties properties, Map<String, String> sources) {
        Map<String, String> lines = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            lines.put(
                    key,
                    key + "=" + shown(config, key, properties.getProperty(key)) + "  # "
                            + sources.getOrDefault(key, "file"));
        }
        for (ConfigKey<?> k : config.registry().keys()) {
            if (!lines.containsKey(k.name()) && k.defaultText().isPresent()) {
                lines.put(k.name(), k.name() + "=" + k.defaultText().get() + "  # default");
            }
        }
        return List.copyOf(lines.values());
    }

    private static String shown(CrmsyncConfig config, String key, String raw) {
        if (config.isSecret(key)) {
            return raw != null && raw.trim().matches("\\$\\{[A-Za-z_][A-Za-z0-9_]*}") ? raw.trim() : "****";
        }
        return maskUrlSecrets(raw);
    }

    /** See {@link CrmsyncConfig#maskUrlSecrets}. */
    static String maskUrlSecrets(String raw) {
        if (raw == null) {
            return null;
        }
        return raw.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("(//[^/:@]+:)[^@/]+@", "$1****@");
    }
}

package io.crmsync.config.keys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every key a host reads, each declared once ({@link ConfigKey}, {@link KeyFamily}). The standard
 * keys are {@link CrmsyncKeys#registry()}; the cluster module adds its node keys with
 * {@link #with(KeyRegistry)}. Immutable and thread-safe.
 *
 * <pre>{@code
 * KeyRegistry keys = CrmsyncKeys.registry();
 * keys.nearest("efficy.apikey", KeyScope.FILE);   // Optional[efficy.apiKey]
 * }</pre>
 */
public final class KeyRegistry {

    private final Map<String, ConfigKey<?>> keys;
    private final List<KeyFamily> families;
    private final Map<String, ConfigKey<?>> formerNames;

    private KeyRegistry(Map<String, ConfigKey<?>> keys, List<KeyFamily> families) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        this.families = List.copyOf(families);
        Map<String, ConfigKey<?>> former = new LinkedHashMap<>();
        keys.values().forEach(k -> k.formerNames().forEach(n -> former.put(n, k)));
        this.formerNames = Map.copyOf(former);
    }

    /**
     * A registry of these keys and families.
     *
     * @throws IllegalArgumentException when a name is declared twice
     */
    public static KeyRegistry of(List<ConfigKey<?>> keys, List<KeyFamily> families) {
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        for (ConfigKey<?> k : keys) {
            if (byName.put(k.name(), k) != null) {
                throw new IllegalArgumentException("key " + k.name() + " is declared twice");
            }
        }
        return new KeyRegistry(byName, families);
    }

    /** This registry and {@code more}'s keys together. */
    public KeyRegistry with(KeyRegistry more) {
        List<ConfigKey<?>> all = new ArrayList<>(keys());
        all.addAll(more.keys());
        List<KeyFamily> fams = new ArrayList<>(families);
        fams.addAll(more.families);
        return of(all, fams);
    }

    /** The single keys, in the order they were declared. */
    public List<ConfigKey<?>> keys() {
        return List.copyOf(keys.values());
    }

    /** The families of keys. */
    public List<KeyFamily> families() {
        return families;
    }

    /** The key of this name, if declared. */
    public Optional<ConfigKey<?>> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** The key that an earlier release called {@code formerName}, if any. */
    public Optional<ConfigKey<?>> renamed(String formerName) {
        return Optional.ofNullable(formerNames.get(formerName));
    }

    /** Whether {@code name} is a key or has a family's shape, in {@code scope}. */
    public boolean knows(String name, KeyScope scope) {
        ConfigKey<?> k = keys.get(name);
        if (k != null) {
            return k.allowedIn(scope);
        }
        return families.stream().anyMatch(f -> f.scopes().contains(scope) && f.matches(name));
    }

    /** Whether {@code name} is a key or family member in any scope. */
    public boolean knowsAnywhere(String name) {
        return keys.containsKey(name) || families.stream().anyMatch(f -> f.matches(name));
    }

    /**
     * The known key nearest to an unknown one in {@code scope}: the same letters in another case,
     * else the fewest edits (at most a third of the name's length).
     */
    public Optional<String> nearest(String unknown, KeyScope scope) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey<?> k : keys.values()) {
            if (!k.allowedIn(scope)) {
                continue;
            }
            if (k.name().equalsIgnoreCase(unknown)) {
                return Optional.of(k.name());
            }
            int d = distance(unknown.toLowerCase(Locale.ROOT), k.name().toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k.name();
            }
        }
        for (KeyFamily f : families) {
            if (f.scopes().contains(scope)
                    && unknown.toLowerCase(Locale.ROOT).startsWith(f.prefix().toLowerCase(Locale.ROOT))
                    && !unknown.startsWith(f.prefix())) {
                return Optional.of(f.shape());
            }
        }
        return bestDistance <= Math.max(2, unknown.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

package io.crmsync.console.setup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One operator's set-up in progress, kept in memory for their session: the values entered so far,
 * the secrets (held here and never rendered), what the live services listed, and the furthest step
 * reached. Guarded by its own lock. Internal.
 */
final class SetupDraft {

    /** An APSIS attribute or topic, as listed live. */
    record Choice(String id, String name) {}

    int reached = 1;
    String tenant = "";
    final Map<String, String> values = new LinkedHashMap<>();
    final Map<String, String> secrets = new LinkedHashMap<>();
    String efficyUser = "";
    List<String> sections = List.of();
    List<String> efficyFields = List.of();
    List<Choice> attributes = List.of();
    List<Choice> topics = List.of();
    String preview = "";
    boolean previewed;

    /** Every key entered, secrets included, for the live checks. */
    synchronized Properties all() {
        Properties p = new Properties();
        values.forEach(p::setProperty);
        secrets.forEach(p::setProperty);
        return p;
    }

    /** The non-secret keys. */
    synchronized Properties config() {
        Properties p = new Properties();
        values.forEach(p::setProperty);
        return p;
    }

    /** Removes every value under a prefix (a step's rows, before they are entered again). */
    synchronized void clear(String prefix) {
        values.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** The values under a prefix, in order. */
    synchronized List<Map.Entry<String, String>> under(String prefix) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.add(Map.entry(k, v));
            }
        });
        return out;
    }
}

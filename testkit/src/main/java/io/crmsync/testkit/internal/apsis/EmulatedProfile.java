package io.crmsync.testkit.internal.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmsync.testkit.apsis.ConsentRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One profile in the APSIS emulator: its keys (at most one per keyspace), and per section its
 * attributes, tags, consents, consent history and posted events. Guarded by the model's lock.
 */
public final class EmulatedProfile {

    final long id;
    final Map<String, String> keys = new LinkedHashMap<>();
    final Map<String, Map<String, JsonNode>> attributes = new HashMap<>();
    final Map<String, Set<String>> tags = new HashMap<>();
    final Map<String, Map<String, ConsentRecord>> consents = new HashMap<>();
    final List<ConsentRecord> history = new ArrayList<>();
    final List<JsonNode> events = new ArrayList<>();

    EmulatedProfile(long id) {
        this.id = id;
    }

    Map<String, JsonNode> attributes(String section) {
        return attributes.computeIfAbsent(section, s -> new LinkedHashMap<>());
    }

    Set<String> tags(String section) {
        return tags.computeIfAbsent(section, s -> new LinkedHashSet<>());
    }

    Map<String, ConsentRecord> consents(String section) {
        return consents.computeIfAbsent(section, s -> new LinkedHashMap<>());
    }
}

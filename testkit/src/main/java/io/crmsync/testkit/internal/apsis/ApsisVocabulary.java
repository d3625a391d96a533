package io.crmsync.testkit.internal.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.testkit.audit.ProtocolAudit;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The query parameters and JSON body fields the protocol notes (apsis.md §1 and §3) give each
 * route the emulator serves. APSIS may well ignore a name it does not know, so a misspelt field
 * would pass unseen; the emulator records each unknown name in {@link ProtocolAudit} instead.
 * Routes whose body is keyed by discriminators (attribute and tag merge patches) are checked
 * against the data model, not here.
 */
final class ApsisVocabulary {

    /** A leaf field: any value. */
    private static final Map<String, Object> LEAF = Map.of();

    private static final Map<String, Map<String, Object>> BODIES = Map.of(
            "POST /oauth/token",
            Map.of("grant_type", LEAF, "client_id", LEAF, "client_secret", LEAF),
            "POST /audience/keyspaces/{ks}/sections/{s}/profiles",
            Map.of("profile_key", LEAF),
            "POST /audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/events",
            Map.of("items", List.of(Map.of("event_time", LEAF, "version_id", LEAF, "data", LEAF))),
            "PUT /audience/profiles/merges",
            Map.of("profiles", List.of(Map.of("keyspace_discriminator", LEAF, "profile_key", LEAF))),
            "POST /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/consents",
            Map.of(
                    "topic_discriminator",
                    LEAF,
                    "channel_discriminator",
                    LEAF,
                    "type",
                    LEAF,
                    "reason",
                    LEAF,
                    "source",
                    LEAF),
            "POST /v2/audience/sections/{s}/imports",
            Map.of(
                    "keyspace_mapping",
                    Map.of("keyspace_discriminator", LEAF, "field_selector", LEAF),
                    "options",
                    Map.of("update_existing_profiles", LEAF, "clear_existing_attributes", LEAF),
                    "attribute_mappings",
                    List.of(Map.of("field_selector", LEAF, "attribute_version_id", LEAF)),
                    "consent_mappings",
                    List.of(Map.of(
                            "address_field_selector",
                            LEAF,
                            "consents",
                            List.of(Map.of(
                                    "field_selector",
                                    LEAF,
                                    "channel_discriminator",
                                    LEAF,
                                    "topic_discriminator",
                                    LEAF,
                                    "type",
                                    LEAF,
                                    "resubscribe_if_opted_out",
                                    LEAF))))),
            "POST /emails/reports",
            Map.of("start_at", LEAF, "end_at", LEAF, "segment_filter", LEAF, "attributes", LEAF, "tags", LEAF));

    private static final Map<String, List<String>> QUERIES = Map.of(
            "GET /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/consents", List.of("consent_types"),
            "GET /emails/reports/{id}", List.of("header_auth"));

    private ApsisVocabulary() {}

    /** Records the query parameters and body fields of a request that its route does not take. */
    static void audit(String route, EmulatorRequest r, ObjectMapper mapper) {
        if (route.startsWith("POST /uploads/") || route.startsWith("GET /downloads/")) {
            return; // pre-signed URLs handed out by APSIS: their query is theirs, not the API's
        }
        String query = r.uri().getRawQuery();
        if (query != null && !query.isEmpty()) {
            List<String> known = QUERIES.getOrDefault(route, List.of());
            for (String pair : query.split("&")) {
                String name = ApsisPaths.percentDecode(pair.split("=", 2)[0]);
                if (!known.contains(name)) {
                    ProtocolAudit.record("apsis", route + "?", name);
                }
            }
        }
        Map<String, Object> spec = BODIES.get(route);
        if (spec == null || r.body().length == 0) {
            return;
        }
        try {
            JsonNode body = mapper.readTree(r.body());
            if (body != null) {
                check(route, "", body, spec);
            }
        } catch (IOException e) {
            // The route itself answers 400 for a body that is not JSON.
        }
    }

    @SuppressWarnings("unchecked")
    private static void check(String route, String prefix, JsonNode node, Map<String, Object> spec) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Object inner = spec.get(field.getKey());
            String path = prefix + field.getKey();
            if (inner == null) {
                ProtocolAudit.record("apsis", route, path);
            } else if (inner instanceof List<?> list && field.getValue().isArray()) {
                for (JsonNode item : field.getValue()) {
                    check(route, path + "[].", item, (Map<String, Object>) list.get(0));
                }
            } else if (inner instanceof Map<?, ?> map && !map.isEmpty()) {
                check(route, path + ".", field.getValue(), (Map<String, Object>) map);
            }
        }
    }
}

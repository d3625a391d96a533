package io.crmsync.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.apsis.error.ApsisTransportException;
import io.crmsync.apsis.internal.Discriminators;
import io.crmsync.apsis.profile.AttributePatch;
import io.crmsync.apsis.profile.CreateOutcome;
import io.crmsync.apsis.profile.ProfileEvent;
import io.crmsync.apsis.profile.ProfileKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Profiles: create, v2 attribute merge-patch, read attributes, tags, events, delete and merge.
 * Bodies are kept under APSIS's 100 kB limit: a larger attribute patch or event list is split into
 * several requests; a single value too large to send fails before any request.
 *
 * <pre>{@code
 * ProfileKey key = ProfileKey.crmId("12345");
 * apsis.profiles().create(key, section);
 * apsis.profiles().patchAttributes(key, section, AttributePatch.builder()
 *     .set("com.apsis1.attributes.email", "anna@example.com").build());
 * }</pre>
 */
public final class ProfileService {

    /** APSIS's documented body limit. */
    public static final int MAX_BODY_BYTES = 100 * 1024;

    private final ApsisTransport transport;
    private final ObjectMapper mapper;

    ProfileService(ApsisTransport transport, ObjectMapper mapper) {
        this.transport = transport;
        this.mapper = mapper;
    }

    /**
     * Creates a profile with a key in a keyspace, in a section ({@code POST
     * /audience/keyspaces/{ks}/sections/{section}/profiles}). An existing profile (409) is reported
     * as {@link CreateOutcome#ALREADY_EXISTS}, not as an error; so a repeat is harmless and retried.
     */
    public CreateOutcome create(ProfileKey key, String section) {
        Discriminators.require("section", section);
        ObjectNode body = mapper.createObjectNode().put("profile_key", key.key());
        ApsisResponse r = transport.send(
                ApsisRequest.builder("POST", "/audience/keyspaces/{ks}/sections/{s}/profiles", key.keyspace(), section)
                        .json(bytes(body))
                        .tolerate(409)
                        .idempotent()
                        .build());
        return r.status() == 409 ? CreateOutcome.ALREADY_EXISTS : CreateOutcome.CREATED;
    }

    /**
     * Sets and clears attribute values with the v2 merge-patch ({@code PATCH
     * /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{section}/attributes},
     * {@code application/merge-patch+json}, keyed by discriminator). v2 does not create a missing
     * profile: create it first. Returns the number of requests sent (more than one when the patch
     * had to be split).
     *
     * @throws IllegalArgumentException when one value alone exceeds the body limit
     */
    public int patchAttributes(ProfileKey key, String section, AttributePatch patch) {
        Discriminators.require("section", section);
        if (patch.isEmpty()) {
            return 0;
        }
        List<ObjectNode> bodies = split(patch.values());
        for (ObjectNode body : bodies) {
            transport.send(ApsisRequest.builder(
                            "PATCH",
                            "/v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes",
                            key.keyspace(),
                            key.key(),
                            section)
                    .body(bytes(body), "application/merge-patch+json")
                    .accept("application/problem+json")
                    .idempotent()
                    .build());
        }
        return bodies.size();
    }

    private List<ObjectNode> split(Map<String, Object> values) {
        List<ObjectNode> bodies = new ArrayList<>();
        ObjectNode current = mapper.createObjectNode();
        int size = 2;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            ObjectNode single = mapper.createObjectNode();
            single.set(e.getKey(), mapper.valueToTree(e.getValue()));
            int entrySize = bytes(single).length - 1;
            if (entrySize + 2 > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("attribute " + e.getKey() + " alone exceeds the 100 kB body limit");
            }
            if (size + entrySize > MAX_BODY_BYTES && current.size() > 0) {
                bodies.add(current);
                current = mapper.createObjectNode();
                size = 2;
            }
            current.set(e.getKey(), single.get(e.getKey()));
            size += entrySize;
        }
        bodies.add(current);
        return bodies;
    }

    /**
     * Reads a profile's attribute values in a section ({@code GET
     * /audience/keyspaces/{ks}/profiles/{pk}/sections/{section}/attributes}); the v1 answer is keyed
     * by attribute version id.
     */
    public Map<String, JsonNode> attributes(ProfileKey key, String section) {
        Discriminators.require("section", section);
        ApsisRequest request = ApsisRequest.builder(
                        "GET",
                        "/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes",
                        key.keyspace(),
                        key.key(),
                        section)
                .idempotent()
                .build();
        JsonNode root = read(transport.send(request), request);
        JsonNode values = root.has("items") ? root.get("items") : root;
        Map<String, JsonNode> map = new LinkedHashMap<>();
        if (values.isObject()) {
            values.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue()));
        } else if (values.isArray()) {
            for (JsonNode item : values) {
                String id =
                        item.path("attribute_version_id").asText(item.path("id").asText(""));
                if (!id.isEmpty()) {
                    map.put(id, item.path("value"));
                }
            }
        }
        return map;
    }

    /**
     * Adds and removes tags in a section ({@code PATCH
     * /audience/keyspaces/{ks}/profiles/{pk}/sections/{section}/tags}, merge-patch). {@code true}
     * adds a tag, {@code false} removes it. The body shape is inferred, not documented publicly.
     */
    public void patchTags(ProfileKey key, String section, Map<String, Boolean> tags) {
        Discriminators.require("section", section);
        if (tags.isEmpty()) {
            return;
        }
        ObjectNode body = mapper.createObjectNode();
        tags.forEach((tag, on) -> body.put(Discriminators.require("tag", tag), on));
        transport.send(ApsisRequest.builder(
                        "PATCH",
                        "/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/tags",
                        key.keyspace(),
                        key.key(),
                        section)
                .body(bytes(body), "application/merge-patch+json")
                .accept("application/problem+json")
                .idempotent()
                .build());
    }

    /**
     * Posts events on a profile in a section, split into requests under 100 kB. Not retried after a
     * failure (a repeat would duplicate events). Returns the number of requests sent.
     */
    public int postEvents(ProfileKey key, String section, List<ProfileEvent> events) {
        Discriminators.require("section", section);
        List<ArrayNode> batches = new ArrayList<>();
        ArrayNode current = mapper.createArrayNode();
        int size = 20;
        for (ProfileEvent event : events) {
            ObjectNode item = mapper.createObjectNode();
            item.put("event_time", event.eventTime().toString());
            item.put("version_id", event.versionId());
            item.set("data", mapper.valueToTree(event.data()));
            int itemSize = bytes(item).length + 1;
            if (itemSize + 20 > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("one event alone exceeds the 100 kB body limit");
            }
            if (size + itemSize > MAX_BODY_BYTES && current.size() > 0) {
                batches.add(current);
                current = mapper.createArrayNode();
                size = 20;
            }
            current.add(item);
            size += itemSize;
        }
        if (current.size() > 0) {
            batches.add(current);
        }
        for (ArrayNode items : batches) {
            ObjectNode body = mapper.createObjectNode();
            body.set("items", items);
            transport.send(ApsisRequest.builder(
                            "POST",
                            "/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/events",
                            key.keyspace(),
                            key.key(),
                            section)
                    .json(bytes(body))
                    .build());
        }
        return batches.size();
    }

    /**
     * Deletes a profile account-wide with its consents and events ({@code DELETE
     * /audience/keyspaces/{ks}/profiles/{pk}}). A profile already gone (404) is not an error.
     */
    public void delete(ProfileKey key) {
        transport.send(
                ApsisRequest.builder("DELETE", "/audience/keyspaces/{ks}/profiles/{pk}", key.keyspace(), key.key())
                        .accept("application/problem+json")
                        .tolerate(404)
                        .idempotent()
                        .build());
    }

    /**
     * Merges profiles known by different keys into one ({@code PUT /audience/profiles/merges});
     * missing profiles are created. A 409 conflict is thrown as
     * {@link io.crmsync.apsis.error.ApsisConflictException}.
     */
    public void merge(List<ProfileKey> keys) {
        if (keys.size() < 2) {
            throw new IllegalArgumentException("a merge needs at least two profile keys");
        }
        ObjectNode body = mapper.createObjectNode();
        ArrayNode profiles = body.putArray("profiles");
        for (ProfileKey k : keys) {
            profiles.addObject().put("keyspace_discriminator", k.keyspace()).put("profile_key", k.key());
        }
        transport.send(ApsisRequest.builder("PUT", "/audience/profiles/merges")
                .json(bytes(body))
                .idempotent()
                .build());
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode read(ApsisResponse response, ApsisRequest r) {
        try {
            JsonNode node = mapper.readTree(response.body());
            return node == null ? mapper.createObjectNode() : node;
        } catch (IOException e) {
            throw new ApsisTransportException("answer is not JSON", r.method, r.logPath, "-", false, e);
        }
    }
}

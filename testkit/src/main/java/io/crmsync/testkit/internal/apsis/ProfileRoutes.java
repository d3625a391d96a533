package io.crmsync.testkit.internal.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The profile routes: create, attribute merge patch and read, tags, events, delete and merge,
 * each under the service's lock. Package-private.
 */
final class ProfileRoutes {

    private final ApsisService service;

    ProfileRoutes(ApsisService service) {
        this.service = service;
    }

    EmulatorResponse createProfile(String keyspace, String section, JsonNode body, String route) {
        synchronized (service) {
            service.keyspace(keyspace);
            service.section(section);
            String key = body.path("profile_key").asText("");
            service.validateKey(keyspace, key);
            if (service.find(keyspace, key) != null) {
                return service.problem(409, "Conflict", "profile already exists", route);
            }
            service.newProfile(keyspace, key, section);
            return EmulatorResponse.empty(201, route);
        }
    }

    EmulatorResponse patchAttributes(EmulatorRequest r, String keyspace, String key, String section, String route) {
        JsonNode body = mergePatch(r);
        synchronized (service) {
            service.section(section);
            EmulatedProfile profile = service.require(keyspace, key);
            Map<String, JsonNode> checked = new LinkedHashMap<>();
            body.fields().forEachRemaining(e -> checked.put(e.getKey(), checkAttribute(e.getKey(), e.getValue())));
            apply(profile, section, checked);
        }
        return EmulatorResponse.empty(204, route);
    }

    /**
     * The v1 merge patch: attributes keyed by their version id ({@code {"1201":"jane@example.com"}});
     * creates the profile when it is missing [notes: D7, M1, B1].
     */
    EmulatorResponse patchAttributesByVersion(
            EmulatorRequest r, String keyspace, String key, String section, String route) {
        JsonNode body = mergePatch(r);
        synchronized (service) {
            service.section(section);
            service.keyspace(keyspace);
            service.validateKey(keyspace, key);
            Map<String, JsonNode> checked = new LinkedHashMap<>();
            body.fields().forEachRemaining(e -> {
                String discriminator = byVersion(e.getKey());
                checked.put(discriminator, checkAttribute(discriminator, e.getValue()));
            });
            EmulatedProfile profile = service.find(keyspace, key);
            if (profile == null) {
                profile = service.newProfile(keyspace, key, section);
            }
            apply(profile, section, checked);
        }
        return EmulatorResponse.empty(204, route);
    }

    /** The v1 clear of one attribute, by version id [notes: M1]. */
    EmulatorResponse clearAttribute(String keyspace, String key, String section, String versionId, String route) {
        synchronized (service) {
            service.section(section);
            EmulatedProfile profile = service.require(keyspace, key);
            String discriminator = byVersion(versionId);
            profile.attributes(section).remove(discriminator);
        }
        return EmulatorResponse.empty(204, route);
    }

    private JsonNode mergePatch(EmulatorRequest r) {
        String type = r.header("content-type").orElse("");
        if (!type.startsWith("application/merge-patch+json")) {
            throw new ApsisService.BadRequest(415, "Unsupported Media Type", "use application/merge-patch+json");
        }
        JsonNode body = service.json(r);
        if (!body.isObject()) {
            throw ApsisService.bad("merge patch must be a JSON object");
        }
        return body;
    }

    /** The discriminator of an attribute version id (current or deprecated). */
    private String byVersion(String versionId) {
        for (DefinitionRegistry.Attribute a : service.definitions.attributes.values()) {
            if (versionId.equals(a.versionId()) || versionId.equals(a.deprecatedVersionId())) {
                return a.discriminator();
            }
        }
        throw ApsisService.bad("unknown attribute version id " + versionId);
    }

    private void apply(EmulatedProfile profile, String section, Map<String, JsonNode> checked) {
        Map<String, JsonNode> attributes = profile.attributes(section);
        checked.forEach((d, v) -> {
            if (v == null) {
                attributes.remove(d);
            } else {
                attributes.put(d, v);
            }
        });
        JsonNode email = checked.get(Definitions.EMAIL);
        if (email != null
                && profile.keys.containsKey(Definitions.EMAIL_KEYSPACE)
                && service.find(Definitions.EMAIL_KEYSPACE, email.asText()) == null) {
            service.addKey(profile, Definitions.EMAIL_KEYSPACE, email.asText());
        }
    }

    /** Checks a value against its attribute's type; returns null for "clear". */
    JsonNode checkAttribute(String discriminator, JsonNode value) {
        DefinitionRegistry.Attribute a = service.definitions.attributes.get(discriminator);
        if (a == null) {
            throw ApsisService.bad("unknown attribute " + discriminator);
        }
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asText();
        switch (a.type()) {
            case "email":
                if (!value.isTextual() || !ApsisService.EMAIL.matcher(text).matches()) {
                    throw ApsisService.bad("attribute " + discriminator + " must be a valid e-mail address");
                }
                return value;
            case "mobile":
                if (!value.isTextual() || !ApsisService.PHONE.matcher(text).matches()) {
                    throw ApsisService.bad("attribute " + discriminator + " must be a mobile number");
                }
                return value;
            case "integer":
                if (value.isIntegralNumber()) {
                    return value;
                }
                try {
                    return JsonNodeFactory.instance.numberNode(Long.parseLong(text.trim()));
                } catch (NumberFormatException e) {
                    throw ApsisService.bad("attribute " + discriminator + " must be an integer");
                }
            case "boolean":
                if (value.isBoolean()) {
                    return value;
                }
                throw ApsisService.bad("attribute " + discriminator + " must be true or false");
            case "date":
                try {
                    LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
                    return value;
                } catch (RuntimeException e) {
                    throw ApsisService.bad("attribute " + discriminator + " must be an ISO date");
                }
            default:
                if (!value.isValueNode()) {
                    throw ApsisService.bad("attribute " + discriminator + " must be a text value");
                }
                return JsonNodeFactory.instance.textNode(text);
        }
    }

    EmulatorResponse readAttributes(String keyspace, String key, String section, String route) {
        synchronized (service) {
            service.section(section);
            EmulatedProfile profile = service.require(keyspace, key);
            ObjectNode out = service.mapper.createObjectNode();
            profile.attributes(section).forEach((d, v) -> {
                DefinitionRegistry.Attribute a = service.definitions.attributes.get(d);
                out.set(a == null ? d : a.versionId(), v);
            });
            return EmulatorResponse.json(200, out.toString(), route);
        }
    }

    EmulatorResponse patchTags(EmulatorRequest r, String keyspace, String key, String section, String route) {
        if (!r.header("content-type").orElse("").startsWith("application/merge-patch+json")) {
            return service.problem(415, "Unsupported Media Type", "use application/merge-patch+json", route);
        }
        JsonNode body = service.json(r);
        synchronized (service) {
            service.section(section);
            EmulatedProfile profile = service.require(keyspace, key);
            body.fields().forEachRemaining(e -> {
                if (!service.definitions.tags.containsKey(e.getKey())) {
                    throw ApsisService.bad("unknown tag " + e.getKey());
                }
            });
            Set<String> tags = profile.tags(section);
            body.fields().forEachRemaining(e -> {
                if (e.getValue().asBoolean(false)) {
                    tags.add(e.getKey());
                } else {
                    tags.remove(e.getKey());
                }
            });
        }
        return EmulatorResponse.empty(204, route);
    }

    EmulatorResponse postEvents(JsonNode body, String keyspace, String key, String section, String route) {
        synchronized (service) {
            service.section(section);
            EmulatedProfile profile = service.require(keyspace, key);
            JsonNode items = body.path("items");
            if (!items.isArray() || items.isEmpty()) {
                throw ApsisService.bad("items must be a non-empty list");
            }
            for (JsonNode item : items) {
                if (!service.definitions.events.containsValue(
                        item.path("version_id").asText())) {
                    throw ApsisService.bad(
                            "unknown event version " + item.path("version_id").asText());
                }
            }
            items.forEach(profile.events::add);
            return EmulatorResponse.empty(204, route);
        }
    }

    EmulatorResponse deleteProfile(String keyspace, String key, String route) {
        synchronized (service) {
            EmulatedProfile profile = service.require(keyspace, key);
            service.profiles.remove(profile.id);
            profile.keys.forEach((ks, k) -> service.byKey.get(ks).remove(k));
            return EmulatorResponse.empty(204, route);
        }
    }

    EmulatorResponse merge(JsonNode body, String route) {
        synchronized (service) {
            JsonNode list = body.path("profiles");
            if (!list.isArray() || list.size() < 2) {
                throw ApsisService.bad("profiles must list at least two profiles");
            }
            EmulatedProfile target = null;
            List<String[]> keys = new ArrayList<>();
            for (JsonNode item : list) {
                String ks = item.path("keyspace_discriminator").asText();
                String key = item.path("profile_key").asText();
                service.keyspace(ks);
                service.validateKey(ks, key);
                keys.add(new String[] {ks, key});
                EmulatedProfile existing = service.find(ks, key);
                if (existing != null && target != null && existing != target) {
                    for (String[] k : existing.keys.entrySet().stream()
                            .map(e -> new String[] {e.getKey(), e.getValue()})
                            .toList()) {
                        if (target.keys.containsKey(k[0])
                                && !target.keys.get(k[0]).equals(k[1])) {
                            return service.problem(
                                    409, "Conflict", "profiles have different keys in keyspace " + k[0], route);
                        }
                    }
                    absorb(target, existing);
                } else if (existing != null) {
                    target = existing;
                }
            }
            if (target == null) {
                target = service.newProfile(keys.get(0)[0], keys.get(0)[1], null);
            }
            for (String[] k : keys) {
                if (service.find(k[0], k[1]) == null) {
                    service.addKey(target, k[0], k[1]);
                }
            }
            return EmulatorResponse.empty(204, route);
        }
    }

    void absorb(EmulatedProfile target, EmulatedProfile other) {
        other.keys.forEach((ks, k) -> service.addKey(target, ks, k));
        other.attributes.forEach((s, a) -> a.forEach(target.attributes(s)::putIfAbsent));
        other.tags.forEach((s, t) -> target.tags(s).addAll(t));
        other.consents.forEach((s, c) -> c.forEach(target.consents(s)::putIfAbsent));
        target.history.addAll(other.history);
        service.profiles.remove(other.id);
    }
}

package io.crmsync.testkit.internal.apsis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The definition routes of {@link ApsisService}: sections, keyspaces, channels, and a section's
 * attributes (with their versions), tags, events and topics. Internal.
 */
final class DefinitionRoutes {

    static final Set<String> ROUTES = Set.of(
            "GET /audience/sections",
            "GET /audience/keyspaces",
            "GET /audience/channels",
            "GET /audience/sections/{s}/attributes",
            "GET /audience/sections/{s}/tags",
            "GET /audience/sections/{s}/events",
            "GET /v2/audience/sections/{s}/topics");

    private final ApsisService service;

    DefinitionRoutes(ApsisService service) {
        this.service = service;
    }

    EmulatorResponse get(String route, String[] p) {
        DefinitionRegistry d = service.definitions;
        synchronized (service) {
            return switch (route) {
                case "GET /audience/sections" ->
                    service.items(d.sections.stream().map(s -> def(s, s)).toList(), route);
                case "GET /audience/keyspaces" ->
                    service.items(
                            d.keyspaces.entrySet().stream()
                                    .map(e -> def(e.getKey(), e.getValue()))
                                    .toList(),
                            route);
                case "GET /audience/channels" ->
                    service.items(
                            d.channels.entrySet().stream()
                                    .map(e -> def(e.getKey(), e.getValue()))
                                    .toList(),
                            route);
                case "GET /audience/sections/{s}/attributes" -> {
                    service.section(p[2]);
                    yield service.items(attributes(), route);
                }
                case "GET /audience/sections/{s}/tags" -> {
                    service.section(p[2]);
                    yield service.items(
                            d.tags.entrySet().stream()
                                    .map(e -> def(e.getKey(), e.getValue()))
                                    .toList(),
                            route);
                }
                case "GET /audience/sections/{s}/events" -> {
                    service.section(p[2]);
                    yield service.items(events(), route);
                }
                default -> {
                    service.section(p[3]);
                    yield service.items(
                            d.topics.entrySet().stream()
                                    .map(e -> {
                                        ObjectNode t = def(e.getKey(), e.getValue());
                                        t.put("consent_list_discriminator", "usercreated.consent-lists.marketing");
                                        return t;
                                    })
                                    .toList(),
                            route);
                }
            };
        }
    }

    private ObjectNode def(String discriminator, String name) {
        ObjectNode n = service.mapper.createObjectNode();
        n.put("discriminator", discriminator);
        n.put("name", name);
        return n;
    }

    private List<ObjectNode> attributes() {
        List<ObjectNode> list = new ArrayList<>();
        for (DefinitionRegistry.Attribute a : service.definitions.attributes.values()) {
            ObjectNode n = def(a.discriminator(), a.name());
            n.put("type", a.type());
            ArrayNode versions = n.putArray("versions");
            if (a.deprecatedVersionId() != null) {
                versions.addObject().put("id", a.deprecatedVersionId()).put("deprecated_at", "2023-01-01T00:00:00Z");
            }
            versions.addObject().put("id", a.versionId()).putNull("deprecated_at");
            list.add(n);
        }
        return list;
    }

    private List<ObjectNode> events() {
        List<ObjectNode> list = new ArrayList<>();
        service.definitions.events.forEach((d, version) -> {
            ObjectNode n = def(d, d);
            n.putArray("versions").addObject().put("id", version).putNull("deprecated_at");
            list.add(n);
        });
        return list;
    }
}

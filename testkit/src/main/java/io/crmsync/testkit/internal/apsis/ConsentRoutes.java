package io.crmsync.testkit.internal.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.apsis.ConsentRecord;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.util.ArrayList;
import java.util.List;

/** The consent 2.0 routes: create (201, 204 or 409) and list by type. Package-private. */
final class ConsentRoutes {

    private final ApsisService service;

    ConsentRoutes(ApsisService service) {
        this.service = service;
    }

    EmulatorResponse createConsent(JsonNode body, String keyspace, String key, String section, String route) {
        synchronized (service) {
            service.section(section);
            EmulatedProfile profile = service.require(keyspace, key);
            String topic = body.path("topic_discriminator").asText("");
            String channel = body.path("channel_discriminator").asText("");
            String type = body.path("type").asText("");
            if (!service.definitions.topics.containsKey(topic)) {
                throw ApsisService.bad("unknown topic " + topic);
            }
            if (!service.definitions.channels.containsKey(channel)) {
                throw ApsisService.bad("unknown channel " + channel);
            }
            if (!type.equals("opt-in") && !type.equals("opt-out")) {
                throw ApsisService.bad("type must be opt-in or opt-out");
            }
            String address = service.address(profile, section, channel);
            if (address == null) {
                throw ApsisService.bad("the profile has no "
                        + (channel.equals(Definitions.SMS_CHANNEL) ? "mobile number" : "e-mail address")
                        + " for channel " + channel);
            }
            int status = service.consent(
                    profile,
                    section,
                    topic,
                    channel,
                    type,
                    address,
                    body.path("source").asText("One API"),
                    body.path("reason").asText(""));
            return status == 409
                    ? service.problem(409, "Conflict", "consent already has type " + type, route)
                    : EmulatorResponse.empty(status, route);
        }
    }

    EmulatorResponse listConsents(EmulatorRequest r, String keyspace, String key, String section, String route) {
        synchronized (service) {
            service.section(section);
            EmulatedProfile profile = service.require(keyspace, key);
            List<String> types = new ArrayList<>();
            String query = r.uri().getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("consent_types=")) {
                        types.add(ApsisPaths.percentDecode(pair.substring("consent_types=".length())));
                    }
                }
            }
            List<ObjectNode> items = new ArrayList<>();
            for (ConsentRecord c : profile.consents(section).values()) {
                if (types.isEmpty() || types.contains(c.type())) {
                    ObjectNode n = service.mapper.createObjectNode();
                    n.put("topic_discriminator", c.topic());
                    n.put("channel_discriminator", c.channel());
                    n.put("type", c.type());
                    n.put("source", c.source());
                    n.put("reason", c.reason());
                    n.put("modified_at", c.at().toString());
                    items.add(n);
                }
            }
            return service.items(items, route);
        }
    }
}

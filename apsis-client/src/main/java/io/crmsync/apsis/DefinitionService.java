package io.crmsync.apsis;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.apsis.definition.AttributeDefinition;
import io.crmsync.apsis.definition.Channel;
import io.crmsync.apsis.definition.EventDefinition;
import io.crmsync.apsis.definition.Keyspace;
import io.crmsync.apsis.definition.Section;
import io.crmsync.apsis.definition.TagDefinition;
import io.crmsync.apsis.definition.Topic;
import io.crmsync.apsis.error.ApsisTransportException;
import io.crmsync.apsis.internal.Discriminators;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads the account's data model: sections, keyspaces, channels, and per section the attributes,
 * tags, event types and consent topics. Answers are cached for the life of the client, since the
 * data model changes rarely; {@link #refresh()} forgets them.
 *
 * <pre>{@code
 * String versionId = apsis.definitions().attribute("com.apsis1.sections.default",
 *     "com.apsis1.attributes.email").flatMap(AttributeDefinition::activeVersionId).orElseThrow();
 * }</pre>
 */
public final class DefinitionService {

    private final ApsisTransport transport;
    private final ObjectMapper mapper;
    private final Map<String, List<?>> cache = new ConcurrentHashMap<>();

    DefinitionService(ApsisTransport transport, ObjectMapper mapper) {
        this.transport = transport;
        this.mapper = mapper;
    }

    /** Forgets every cached definition. */
    public void refresh() {
        cache.clear();
    }

    /** {@code GET /audience/sections}. */
    public List<Section> sections() {
        return cached("sections", Section.class, () -> ApsisRequest.builder("GET", "/audience/sections"));
    }

    /** {@code GET /audience/keyspaces}. */
    public List<Keyspace> keyspaces() {
        return cached("keyspaces", Keyspace.class, () -> ApsisRequest.builder("GET", "/audience/keyspaces"));
    }

    /** {@code GET /audience/channels}. */
    public List<Channel> channels() {
        return cached("channels", Channel.class, () -> ApsisRequest.builder("GET", "/audience/channels"));
    }

    /** {@code GET /audience/sections/{section}/attributes}. */
    public List<AttributeDefinition> attributes(String section) {
        Discriminators.require("section", section);
        return cached(
                "attributes " + section,
                AttributeDefinition.class,
                () -> ApsisRequest.builder("GET", "/audience/sections/{s}/attributes", section));
    }

    /** The attribute with this discriminator in the section, if defined. */
    public Optional<AttributeDefinition> attribute(String section, String discriminator) {
        return attributes(section).stream()
                .filter(a -> a.discriminator().equals(discriminator))
                .findFirst();
    }

    /** {@code GET /audience/sections/{section}/tags}. */
    public List<TagDefinition> tags(String section) {
        Discriminators.require("section", section);
        return cached(
                "tags " + section,
                TagDefinition.class,
                () -> ApsisRequest.builder("GET", "/audience/sections/{s}/tags", section));
    }

    /** {@code GET /audience/sections/{section}/events}. */
    public List<EventDefinition> events(String section) {
        Discriminators.require("section", section);
        return cached(
                "events " + section,
                EventDefinition.class,
                () -> ApsisRequest.builder("GET", "/audience/sections/{s}/events", section));
    }

    /** {@code GET /v2/audience/sections/{section}/topics} (consent 2.0). */
    public List<Topic> topics(String section) {
        Discriminators.require("section", section);
        return cached(
                "topics " + section,
                Topic.class,
                () -> ApsisRequest.builder("GET", "/v2/audience/sections/{s}/topics", section));
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> cached(String key, Class<T> type, Supplier<ApsisRequest.Builder> request) {
        List<?> hit = cache.get(key);
        if (hit != null) {
            return (List<T>) hit;
        }
        ApsisRequest r = request.get().idempotent().build();
        ApsisResponse response = transport.send(r);
        List<T> items = items(response, type, r);
        cache.put(key, items);
        return items;
    }

    private <T> List<T> items(ApsisResponse response, Class<T> type, ApsisRequest r) {
        try {
            JsonNode root = mapper.readTree(response.body());
            JsonNode items = root != null && root.has("items") ? root.get("items") : root;
            if (items == null || !items.isArray()) {
                throw new ApsisTransportException("answer has no items list", r.method, r.logPath, "-", false, null);
            }
            JavaType listType = mapper.getTypeFactory().constructCollectionType(List.class, type);
            List<T> list = mapper.convertValue(items, listType);
            return List.copyOf(list);
        } catch (IOException | IllegalArgumentException e) {
            throw new ApsisTransportException(
                    "answer could not be read: " + e.getClass().getSimpleName(), r.method, r.logPath, "-", false, e);
        }
    }
}

package io.crmsync.testkit.apsis;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of one emulated profile, for assertions.
 *
 * @param keys keyspace to profile key
 * @param attributes section to (attribute discriminator to value)
 * @param tags section to tag discriminators
 * @param consents the current consents (one per section, topic and channel)
 * @param history every consent change, oldest first, with the address at the time
 * @param events events posted on the profile
 */
public record ProfileView(
        Map<String, String> keys,
        Map<String, Map<String, Object>> attributes,
        Map<String, Set<String>> tags,
        List<ConsentRecord> consents,
        List<ConsentRecord> history,
        int events) {

    /** An attribute's value in a section. */
    public Optional<Object> attribute(String section, String discriminator) {
        return Optional.ofNullable(attributes.getOrDefault(section, Map.of()).get(discriminator));
    }

    /** The current consent type for a topic on a channel in a section. */
    public Optional<String> consent(String section, String topic, String channel) {
        return consents.stream()
                .filter(c -> c.section().equals(section)
                        && c.topic().equals(topic)
                        && c.channel().equals(channel))
                .map(ConsentRecord::type)
                .findFirst();
    }

    /** The tags in a section. */
    public Set<String> tags(String section) {
        return tags.getOrDefault(section, Set.of());
    }
}

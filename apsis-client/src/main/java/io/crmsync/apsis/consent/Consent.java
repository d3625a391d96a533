package io.crmsync.apsis.consent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * A profile's consent for one (section, topic, channel), as listed by the v2 consents endpoint.
 *
 * @param topic the topic discriminator
 * @param channel the channel discriminator
 * @param type the consent type
 * @param source who set it, when sent
 * @param reason why, when sent
 * @param modifiedAt when (RFC 3339), when sent
 */
public record Consent(
        @JsonProperty("topic_discriminator") String topic,
        @JsonProperty("channel_discriminator") String channel,
        @JsonProperty("type") ConsentType type,
        @JsonProperty("source") Optional<String> source,
        @JsonProperty("reason") Optional<String> reason,
        @JsonProperty("modified_at") Optional<String> modifiedAt) {

    /** Normalises missing optionals. */
    public Consent {
        source = source == null ? Optional.empty() : source;
        reason = reason == null ? Optional.empty() : reason;
        modifiedAt = modifiedAt == null ? Optional.empty() : modifiedAt;
    }
}

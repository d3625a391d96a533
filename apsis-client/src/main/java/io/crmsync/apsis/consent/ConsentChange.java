package io.crmsync.apsis.consent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.crmsync.apsis.internal.Discriminators;
import java.util.Objects;

/**
 * A consent to write: opt-in or opt-out for a topic on a channel, with a reason and a source that
 * APSIS keeps in the consent history.
 *
 * <pre>{@code
 * ConsentChange optIn = ConsentChange.optIn("usercreated.topics.newsletter-ab12cd34ef",
 *     "com.apsis1.channels.email", "Ticked in Efficy", "crmsync");
 * }</pre>
 *
 * @param topic the topic discriminator
 * @param channel the channel discriminator
 * @param type {@link ConsentType#OPT_IN} or {@link ConsentType#OPT_OUT}
 * @param reason why, may be null
 * @param source who, may be null (APSIS then records "One API")
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsentChange(
        @JsonProperty("topic_discriminator") String topic,
        @JsonProperty("channel_discriminator") String channel,
        @JsonProperty("type") ConsentType type,
        @JsonProperty("reason") String reason,
        @JsonProperty("source") String source) {

    /** Checks the discriminators and that the type is writable. */
    public ConsentChange {
        Discriminators.require("topic", topic);
        Discriminators.require("channel", channel);
        Objects.requireNonNull(type, "type");
        if (type != ConsentType.OPT_IN && type != ConsentType.OPT_OUT) {
            throw new IllegalArgumentException("only opt-in and opt-out can be written, not " + type.wire());
        }
    }

    /** An opt-in. */
    public static ConsentChange optIn(String topic, String channel, String reason, String source) {
        return new ConsentChange(topic, channel, ConsentType.OPT_IN, reason, source);
    }

    /** An opt-out. */
    public static ConsentChange optOut(String topic, String channel, String reason, String source) {
        return new ConsentChange(topic, channel, ConsentType.OPT_OUT, reason, source);
    }
}

package io.crmsync.sync.consent;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where one APSIS consent (a topic on a channel) comes from in Efficy: a checkbox field of the
 * contact ("1" ticked), or membership of an Efficy Profile ({@code Prof}).
 *
 * <pre>{@code
 * ConsentMapping news = ConsentMapping.checkbox("F_NEWSLETTER", "usercreated.topics.newsletter-ab12cd34ef", Channels.EMAIL);
 * ConsentMapping events = ConsentMapping.profile(2, "usercreated.topics.offers-cd34ef56gh", Channels.EMAIL);
 * }</pre>
 *
 * @param field the checkbox field, or null for a Profile mapping
 * @param profileKey the K_PROFILE, or 0 for a checkbox mapping
 * @param topic the APSIS topic discriminator
 * @param channel the APSIS channel discriminator
 */
public record ConsentMapping(String field, long profileKey, String topic, String channel) {

    /** Checks that exactly one source is given. */
    public ConsentMapping {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(channel, "channel");
        if ((field == null) == (profileKey == 0)) {
            throw new IllegalArgumentException("a consent mapping takes either a checkbox field or a profile key");
        }
        if (field != null) {
            if (!field.matches("[A-Za-z0-9_$]+")) {
                throw new IllegalArgumentException(
                        "checkbox field name must match [A-Za-z0-9_$]+, was '" + field + "'");
            }
            field = field.toUpperCase(Locale.ROOT);
        }
        if (profileKey < 0) {
            throw new IllegalArgumentException("profile key must be positive, was " + profileKey);
        }
    }

    /** A checkbox field mapped to a topic on a channel. */
    public static ConsentMapping checkbox(String field, String topic, String channel) {
        return new ConsentMapping(field, 0, topic, channel);
    }

    /** Membership of an Efficy Profile mapped to a topic on a channel. */
    public static ConsentMapping profile(long profileKey, String topic, String channel) {
        if (profileKey <= 0) {
            throw new IllegalArgumentException("profile key must be positive, was " + profileKey);
        }
        return new ConsentMapping(null, profileKey, topic, channel);
    }

    /**
     * Whether a contact with these field values and Profile memberships has the box ticked or the
     * membership ({@code ContactData.fields()} and {@code ContactData.profiles()}).
     */
    public boolean isTicked(Map<String, String> fields, Set<Long> profiles) {
        if (field != null) {
            String v = fields.get(field);
            return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
        }
        return profiles.contains(profileKey);
    }

    /** The (topic, channel) slot this mapping decides, {@code topic|channel}. */
    public String slot() {
        return topic + "|" + channel;
    }

    /** Whether this is a checkbox mapping. */
    public boolean isCheckbox() {
        return field != null;
    }
}

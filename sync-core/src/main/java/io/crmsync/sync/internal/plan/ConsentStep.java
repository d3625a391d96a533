package io.crmsync.sync.internal.plan;

/**
 * One consent write: opt-in or opt-out of a (topic, channel) slot, with the reason APSIS records.
 *
 * @param topic the topic discriminator
 * @param channel the channel discriminator
 * @param optIn true for opt-in, false for opt-out
 * @param reason why, as APSIS will show it
 */
public record ConsentStep(String topic, String channel, boolean optIn, String reason) {

    /** The slot, {@code topic|channel}. */
    public String slot() {
        return topic + "|" + channel;
    }

    /** Builds a step for a slot. */
    static ConsentStep of(String slot, boolean optIn, String reason) {
        int bar = slot.lastIndexOf('|');
        return new ConsentStep(slot.substring(0, bar), slot.substring(bar + 1), optIn, reason);
    }
}

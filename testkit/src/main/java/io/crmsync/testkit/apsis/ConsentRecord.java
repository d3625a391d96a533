package io.crmsync.testkit.apsis;

import java.time.Instant;

/**
 * One consent change as the APSIS emulator keeps it in a profile's history, with the address the
 * consent was for at that moment (the profile's e-mail or mobile attribute).
 *
 * @param at when
 * @param section the section discriminator
 * @param topic the topic discriminator
 * @param channel the channel discriminator
 * @param type opt-in or opt-out (or pending/confirmed forms)
 * @param address the e-mail address or mobile number at the time
 * @param source who set it
 * @param reason why
 */
public record ConsentRecord(
        Instant at,
        String section,
        String topic,
        String channel,
        String type,
        String address,
        String source,
        String reason) {}

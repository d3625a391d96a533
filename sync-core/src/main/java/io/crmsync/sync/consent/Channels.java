package io.crmsync.sync.consent;

/**
 * APSIS channel discriminators. The e-mail one is seen in APSIS's own modules; the SMS one is
 * inferred (list {@code GET /audience/channels} on a real account to confirm, and pass the
 * discriminator you find to {@link ConsentMapping} if it differs).
 */
public final class Channels {

    /** {@code com.apsis1.channels.email}. */
    public static final String EMAIL = "com.apsis1.channels.email";
    /** {@code com.apsis1.channels.sms} (inferred). */
    public static final String SMS = "com.apsis1.channels.sms";

    private Channels() {}
}

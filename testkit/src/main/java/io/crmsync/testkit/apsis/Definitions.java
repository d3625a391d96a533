package io.crmsync.testkit.apsis;

/**
 * The discriminators the emulated APSIS account is seeded with: one section, the built-in
 * keyspaces and channels, default and user-created attributes, topics, a tag and an event. Tests
 * name them through these constants (the emulator's registry of them is internal).
 */
public final class Definitions {

    private Definitions() {}

    /** The default section. */
    public static final String SECTION = "com.apsis1.sections.default";
    /** The CRM id keyspace. */
    public static final String CRM_ID = "com.apsis1.keyspaces.crm-id";
    /** The e-mail keyspace. */
    public static final String EMAIL_KEYSPACE = "com.apsis1.keyspaces.email";
    /** The mobile keyspace. */
    public static final String MOBILE_KEYSPACE = "com.apsis1.keyspaces.mobile";
    /** The e-mail channel. */
    public static final String EMAIL_CHANNEL = "com.apsis1.channels.email";
    /** The SMS channel. */
    public static final String SMS_CHANNEL = "com.apsis1.channels.sms";
    /** The e-mail attribute. */
    public static final String EMAIL = "com.apsis1.attributes.email";
    /** The mobile attribute. */
    public static final String MOBILE = "com.apsis1.attributes.mobile";
    /** The first name attribute. */
    public static final String FIRSTNAME = "com.apsis1.attributes.firstname";
    /** The last name attribute. */
    public static final String LASTNAME = "com.apsis1.attributes.lastname";
    /** The CRM id attribute. */
    public static final String CRMID = "com.apsis1.attributes.crmid";
    /** A custom text attribute. */
    public static final String CUSTOMER_TIER = "usercreated.attributes.customer_tier-x8k2p0q1ab";
    /** A custom integer attribute. */
    public static final String SCORE = "usercreated.attributes.score-a1b2c3d4e5";
    /** A custom boolean attribute. */
    public static final String BOUNCED = "usercreated.attributes.bounced-q9w8e7r6t5";
    /** A custom date attribute. */
    public static final String BIRTHDATE = "com.apsis1.attributes.birthdate";
    /** The newsletter topic. */
    public static final String NEWSLETTER = "usercreated.topics.newsletter-ab12cd34ef";
    /** The offers topic. */
    public static final String OFFERS = "usercreated.topics.offers-cd34ef56gh";
    /** The SMS alerts topic. */
    public static final String SMS_ALERTS = "usercreated.topics.sms-alerts-ef56gh78ij";
    /** A tag. */
    public static final String VIP_TAG = "usercreated.tags.vip-k1l2m3n4o5";
    /** The event type crmsync can post. */
    public static final String CRM_EVENT = "com.apsis1.events.custom.crm-activity-l9ce3syo6t";

    /**
     * An attribute definition.
     *
     * @param discriminator its discriminator
     * @param name its name
     * @param type string, email, mobile, integer, boolean or date
     * @param versionId its current version id
     * @param deprecatedVersionId an older deprecated version id, or null
     */
}

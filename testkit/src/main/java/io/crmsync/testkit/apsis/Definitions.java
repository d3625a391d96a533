package io.crmsync.testkit.apsis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulated account's data model: sections, keyspaces, channels, attributes (with versions and
 * a value type), topics, tags and event types. Seeded with one section and the defaults a CRM
 * integration uses; tests add more. Guarded by the model's lock.
 */
public final class Definitions {

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
  public record Attribute(String discriminator, String name, String type, String versionId,
      String deprecatedVersionId) {}

  final List<String> sections = new ArrayList<>(List.of(SECTION));
  final Map<String, String> keyspaces = new LinkedHashMap<>();
  final Map<String, String> channels = new LinkedHashMap<>();
  final Map<String, Attribute> attributes = new LinkedHashMap<>();
  final Map<String, String> topics = new LinkedHashMap<>();
  final Map<String, String> tags = new LinkedHashMap<>();
  final Map<String, String> events = new LinkedHashMap<>();

  Definitions() {
    keyspaces.put(CRM_ID, "CRM ID");
    keyspaces.put(EMAIL_KEYSPACE, "Email");
    keyspaces.put(MOBILE_KEYSPACE, "Mobile");
    channels.put(EMAIL_CHANNEL, "Email");
    channels.put(SMS_CHANNEL, "SMS");
    attribute(EMAIL, "Email", "email", "1201", "1100");
    attribute(MOBILE, "Mobile", "mobile", "1202", null);
    attribute(FIRSTNAME, "First name", "string", "1203", null);
    attribute(LASTNAME, "Last name", "string", "1204", null);
    attribute(CRMID, "CRM ID", "string", "1205", null);
    attribute(BIRTHDATE, "Birth date", "date", "1206", null);
    attribute(CUSTOMER_TIER, "Customer tier", "string", "3344", null);
    attribute(SCORE, "Score", "integer", "3345", null);
    attribute(BOUNCED, "Bounced", "boolean", "3346", null);
    topics.put(NEWSLETTER, "Newsletter");
    topics.put(OFFERS, "Offers");
    topics.put(SMS_ALERTS, "SMS alerts");
    tags.put(VIP_TAG, "VIP");
    events.put(CRM_EVENT, "5521");
  }

  void attribute(String discriminator, String name, String type, String versionId, String deprecated) {
    attributes.put(discriminator, new Attribute(discriminator, name, type, versionId, deprecated));
  }

  Attribute byVersion(String versionId) {
    return attributes.values().stream().filter(a -> a.versionId().equals(versionId)).findFirst().orElse(null);
  }

  /** The attribute that mirrors a keyspace's profile key. */
  static String mappedAttribute(String keyspace) {
    switch (keyspace) {
      case CRM_ID:
        return CRMID;
      case EMAIL_KEYSPACE:
        return EMAIL;
      case MOBILE_KEYSPACE:
        return MOBILE;
      default:
        return null;
    }
  }
}

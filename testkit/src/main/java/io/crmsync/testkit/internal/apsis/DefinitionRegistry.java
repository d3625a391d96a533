package io.crmsync.testkit.internal.apsis;

import io.crmsync.testkit.apsis.Definitions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulated account's data model: sections, keyspaces, channels, attributes with their
 * versions and types, topics, tags and event versions, seeded with {@link Definitions}' names.
 * Internal.
 */
public final class DefinitionRegistry {

    public record Attribute(
            String discriminator, String name, String type, String versionId, String deprecatedVersionId) {}

    public final List<String> sections = new ArrayList<>(List.of(Definitions.SECTION));
    public final Map<String, String> keyspaces = new LinkedHashMap<>();
    public final Map<String, String> channels = new LinkedHashMap<>();
    public final Map<String, Attribute> attributes = new LinkedHashMap<>();
    public final Map<String, String> topics = new LinkedHashMap<>();
    public final Map<String, String> tags = new LinkedHashMap<>();
    public final Map<String, String> events = new LinkedHashMap<>();

    DefinitionRegistry() {
        keyspaces.put(Definitions.CRM_ID, "CRM ID");
        keyspaces.put(Definitions.EMAIL_KEYSPACE, "Email");
        keyspaces.put(Definitions.MOBILE_KEYSPACE, "Mobile");
        channels.put(Definitions.EMAIL_CHANNEL, "Email");
        channels.put(Definitions.SMS_CHANNEL, "SMS");
        attribute(Definitions.EMAIL, "Email", "email", "1201", "1100");
        attribute(Definitions.MOBILE, "Mobile", "mobile", "1202", null);
        attribute(Definitions.FIRSTNAME, "First name", "string", "1203", null);
        attribute(Definitions.LASTNAME, "Last name", "string", "1204", null);
        attribute(Definitions.CRMID, "CRM ID", "string", "1205", null);
        attribute(Definitions.BIRTHDATE, "Birth date", "date", "1206", null);
        attribute(Definitions.CUSTOMER_TIER, "Customer tier", "string", "3344", null);
        attribute(Definitions.SCORE, "Score", "integer", "3345", null);
        attribute(Definitions.BOUNCED, "Bounced", "boolean", "3346", null);
        topics.put(Definitions.NEWSLETTER, "Newsletter");
        topics.put(Definitions.OFFERS, "Offers");
        topics.put(Definitions.SMS_ALERTS, "SMS alerts");
        tags.put(Definitions.VIP_TAG, "VIP");
        events.put(Definitions.CRM_EVENT, "5521");
    }

    public void attribute(String discriminator, String name, String type, String versionId, String deprecated) {
        attributes.put(discriminator, new Attribute(discriminator, name, type, versionId, deprecated));
    }

    public Attribute byVersion(String versionId) {
        return attributes.values().stream()
                .filter(a -> a.versionId().equals(versionId))
                .findFirst()
                .orElse(null);
    }

    /** The attribute that mirrors a keyspace's profile key. */
    public static String mappedAttribute(String keyspace) {
        switch (keyspace) {
            case Definitions.CRM_ID:
                return Definitions.CRMID;
            case Definitions.EMAIL_KEYSPACE:
                return Definitions.EMAIL;
            case Definitions.MOBILE_KEYSPACE:
                return Definitions.MOBILE;
            default:
                return null;
        }
    }
}

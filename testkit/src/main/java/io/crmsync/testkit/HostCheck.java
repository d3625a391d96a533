package io.crmsync.testkit;

import io.crmsync.testkit.apsis.Campaign;
import io.crmsync.testkit.apsis.CampaignResult;
import io.crmsync.testkit.apsis.Definitions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A scripted proof that every capability of crmsync runs in a host ({@code serve}, the Spring
 * starter, a cluster node, or a host of your own), judged by the emulators' state alone: a first
 * full sync, polls, a stored query as a tag, reverse sync of a campaign's events, the Efficy change
 * webhook and the APSIS task webhook.
 *
 * <pre>{@code
 * HostCheck check = HostCheck.prepare(efficy, apsis);
 * // start the host with check.keys() and check.secrets() (and the emulators' URLs)
 * check.awaitProfiles();
 * check.awaitTags();
 * check.awaitHistory(check.campaign());
 * }</pre>
 *
 * Waits end at the first state that satisfies them; the deadline only turns a hang into a failure.
 */
public final class HostCheck {

    /** The stored query synced as a tag. */
    public static final long QUERY_KEY = 31;
    /** Its tag. */
    public static final String TAG = "usercreated.tags.gold-customers-p6q7r8s9t0";
    /** The Efficy webhook's secret in {@link #secrets()}. */
    public static final String EFFICY_SECRET = "host-check-efficy-secret-01";
    /** The task webhook's secret in {@link #secrets()}. */
    public static final String TASK_SECRET = "host-check-task-secret-0123";

    private static final int CONTACTS = 12;
    private static final int GOLD = 4;

    private final EfficyEmulator efficy;
    private final ApsisEmulator apsis;
    private final List<Long> contacts = new ArrayList<>();
    private final Duration deadline;

    private HostCheck(EfficyEmulator efficy, ApsisEmulator apsis, Duration deadline) {
        this.efficy = efficy;
        this.apsis = apsis;
        this.deadline = deadline;
    }

    /**
     * Seeds {@value #CONTACTS} contacts (the first {@value #GOLD} Gold customers, every one with a
     * valid address and the newsletter ticked), the stored query {@value #QUERY_KEY} of the Gold
     * customers and its APSIS tag. Use emulators with no other contacts.
     */
    public static HostCheck prepare(EfficyEmulator efficy, ApsisEmulator apsis) {
        HostCheck check = new HostCheck(efficy, apsis, Duration.ofMinutes(3));
        for (int i = 1; i <= CONTACTS; i++) {
            check.contacts.add(efficy.createContact(Map.of(
                    "NAME",
                    "Host" + i,
                    "FIRSTNAME",
                    "Ada" + i,
                    "EMAIL1",
                    "host" + i + "@example.com",
                    "F_NEWSLETTER",
                    "1",
                    "OPENED",
                    "1",
                    "F_CUSTOMER_TIER",
                    i <= GOLD ? "Gold" : "Silver")));
        }
        efficy.addStoredQuery(
                QUERY_KEY, "Gold customers", "select K_CONTACT from CONTACTS where F_CUSTOMER_TIER = 'Gold'");
        apsis.addTag(TAG, "Gold customers");
        return check;
    }

    /**
     * The keys a host needs beyond the emulators' URLs and credentials, as flat keys: the mapping,
     * the consent, the stored query, the response mapping and every job every second.
     */
    public Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("apsis.section", Definitions.SECTION);
        keys.put("mapping.EMAIL1", Definitions.EMAIL);
        keys.put("mapping.FIRSTNAME", Definitions.FIRSTNAME);
        keys.put("consent.1.checkbox", "F_NEWSLETTER");
        keys.put("consent.1.topic", Definitions.NEWSLETTER);
        keys.put("query.1.key", Long.toString(QUERY_KEY));
        keys.put("query.1.tag", TAG);
        keys.put("response.OPENED", "history");
        keys.put("taskWebhook.defaultUser", "JDOE");
        keys.put("schedule.pollInterval", "PT1S");
        keys.put("schedule.queryInterval", "PT1S");
        keys.put("schedule.reverseInterval", "PT1S");
        return keys;
    }

    /** The secret keys: the two webhooks' secrets. */
    public Map<String, String> secrets() {
        return Map.of("webhooks.efficySecret", EFFICY_SECRET, "taskWebhook.secret", TASK_SECRET);
    }

    /** The seeded contacts' keys. */
    public List<Long> contacts() {
        return List.copyOf(contacts);
    }

    /** Waits until every seeded contact has its profile, with its address and consent. */
    public void awaitProfiles() {
        await(
                "a profile for every seeded contact",
                () -> contacts.stream()
                        .allMatch(k -> apsis.profile(Definitions.CRM_ID, Long.toString(k))
                                .filter(p -> p.attribute(Definitions.SECTION, Definitions.EMAIL)
                                        .isPresent())
                                .isPresent()));
    }

    /** Waits until the Gold customers' profiles carry the query's tag, and no other profile does. */
    public void awaitTags() {
        await("the stored query's tag on its members only", () -> {
            for (int i = 0; i < contacts.size(); i++) {
                boolean tagged = apsis.profile(Definitions.CRM_ID, Long.toString(contacts.get(i)))
                        .map(p -> p.tags(Definitions.SECTION).contains(TAG))
                        .orElse(false);
                if (tagged != (i < GOLD)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Changes a seeded contact's first name in Efficy; returns its key ({@link #awaitChange}). */
    public long changeContact() {
        long key = contacts.get(GOLD + 1);
        efficy.updateContact(key, Map.of("FIRSTNAME", "Changed"));
        return key;
    }

    /** Waits until the change of {@link #changeContact()} reached the contact's profile. */
    public void awaitChange(long key) {
        await(
                "the changed first name in APSIS",
                () -> apsis.profile(Definitions.CRM_ID, Long.toString(key))
                        .flatMap(p -> p.attribute(Definitions.SECTION, Definitions.FIRSTNAME))
                        .map("Changed"::equals)
                        .orElse(false));
    }

    /** Sends a newsletter to the synced profiles, three hours ago; its events wait in the export. */
    public CampaignResult campaign() {
        return apsis.simulateCampaign(Campaign.newsletter("Host check")
                .withSeed(11)
                .withShares(0, 0.5, 0, 0, 0)
                .sentAt(Instant.now().minus(Duration.ofHours(3))));
    }

    /** Waits until every event of the campaign is a history record in Efficy. */
    public void awaitHistory(CampaignResult campaign) {
        await("the campaign's events as history in Efficy", () -> historyRecords() >= campaign.events());
    }

    /** History records reverse sync wrote. */
    public long historyRecords() {
        return efficy
                .database()
                .rows("select count(*) as N from ACTIONS where F_SOURCE_ID like 'apsis-email:%'")
                .stream()
                .mapToLong(r -> ((Number) r.get("N")).longValue())
                .sum();
    }

    /** A new contact in Efficy, and the body of the change webhook Efficy would send for it. */
    public Webhook newContactWebhook() {
        long key = efficy.createContact(Map.of("NAME", "Hooked", "FIRSTNAME", "Webb", "EMAIL1", "hooked@example.com"));
        String body = "{\"database\":\"" + efficy.customer()
                + "\",\"version\":\"1\",\"records\":[{\"table\":11000,\"key\":" + key
                + ",\"operation\":\"Create\",\"user\":\"APIUSER\",\"date\":\"2026-12-04T08:00:00Z\",\"fields\":{}}]}";
        return new Webhook(key, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The body of an APSIS task webhook for the first seeded contact, with {@code deliveryId}. */
    public byte[] taskWebhookBody(String deliveryId) {
        return ("{\"subject\":\"Call back " + deliveryId + "\",\"profile_key\":\"" + contacts.get(0)
                        + "\",\"delivery_id\":\"" + deliveryId + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Waits until the webhook's contact has its profile. */
    public void awaitProfile(long key) {
        await(
                "the webhook's contact in APSIS",
                () -> apsis.profile(Definitions.CRM_ID, Long.toString(key)).isPresent());
    }

    /** How many Efficy tasks the task webhook with {@code deliveryId} created. */
    public long tasks(String deliveryId) {
        return efficy.activities().stream()
                .filter(a -> Objects.equals(a.get("SUBJECT"), "Call back " + deliveryId))
                .count();
    }

    /** Waits until the task webhook with {@code deliveryId} created its task. */
    public void awaitTask(String deliveryId) {
        await("the task of delivery " + deliveryId, () -> tasks(deliveryId) >= 1);
    }

    /**
     * A change webhook's contact and body.
     *
     * @param key the new contact's key
     * @param body the webhook's body
     */
    public record Webhook(long key, byte[] body) {}

    private void await(String what, BooleanSupplier done) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the host never showed " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}

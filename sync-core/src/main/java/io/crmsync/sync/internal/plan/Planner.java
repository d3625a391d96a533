package io.crmsync.sync.internal.plan;

import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.ContactData;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.StopMatchingPolicy;
import io.crmsync.sync.SyncCondition;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.sync.state.ContactSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a contact and its last snapshot into a {@link ContactPlan}. Pure: reads nothing, writes
 * nothing, so the same inputs always give the same plan (which is what makes retries safe).
 */
public final class Planner {

    /**
     * Prefix of the fingerprint saved for content APSIS refused; the contact is retried when its
     * content changes (or when a full sync asks to retry quarantined contacts).
     */
    public static final String REJECTED = "rejected:";

    private final MappingProvider mapping;
    private final ConsentPolicy consent;
    private final SyncCondition condition;
    private final StopMatchingPolicy stopMatching;

    /** Creates a planner. */
    public Planner(
            MappingProvider mapping, ConsentPolicy consent, SyncCondition condition, StopMatchingPolicy stopMatching) {
        this.mapping = mapping;
        this.consent = consent;
        this.condition = condition;
        this.stopMatching = stopMatching;
    }

    /** Plans one contact against what the snapshot says APSIS holds. */
    public ContactPlan plan(ContactData contact, Optional<ContactSnapshot> previous) {
        return plan(contact, previous, Unknown.NONE);
    }

    /**
     * Plans one contact against the snapshot, sending the contact's values for what is
     * {@code unknown} whatever the snapshot says (an unknown consent counts as given when the
     * contact's consents are withdrawn, so that its opt-out is sent).
     */
    public ContactPlan plan(ContactData contact, Optional<ContactSnapshot> previous, Unknown unknown) {
        long key = contact.key();
        if (!condition.matches(contact)) {
            if (previous.isEmpty() || !previous.get().matched()) {
                return empty(key, ContactPlan.Outcome.FILTERED_OUT, null);
            }
            return stop(
                    key,
                    unknownAsGiven(previous.get(), unknown),
                    stopMatching,
                    "No longer matches the sync condition in Efficy",
                    ContactPlan.Outcome.STOPPED_MATCHING);
        }
        Map<String, Object> desired = new LinkedHashMap<>();
        for (FieldMapping m : mapping.mappings()) {
            try {
                desired.put(
                        m.attribute(), m.converter().convert(contact.fields().get(m.field())));
            } catch (IllegalArgumentException e) {
                return empty(key, ContactPlan.Outcome.QUARANTINE, "field " + m.field() + " " + e.getMessage());
            }
        }
        Optional<String> email = text(desired.get(MappingProvider.EMAIL_ATTRIBUTE));
        Optional<String> mobile = text(desired.get(MappingProvider.MOBILE_ATTRIBUTE));
        Map<String, Boolean> ticked = consent.ticked(contact, email, mobile);

        String fingerprint = Fingerprint.hexOf(mapping.version(), desired, ticked);

        ContactSnapshot before = previous.orElse(null);
        if (before != null
                && unknown.isEmpty()
                && before.matched()
                && before.profileCreated()
                && before.fingerprint().equals(fingerprint)) {
            return empty(key, ContactPlan.Outcome.UNCHANGED, null);
        }
        if (before != null && before.fingerprint().equals(REJECTED + fingerprint)) {
            // APSIS (or the address check) refused exactly this content before: it would fail again.
            return empty(key, ContactPlan.Outcome.STILL_REJECTED, null);
        }
        // Checked before any request: APSIS refuses a bad address only after the profile exists.
        // Checked after the shortcuts above: an unchanged contact's addresses were checked when sent.
        Optional<String> bad = email.flatMap(AddressCheck::emailProblem)
                .map(p -> "the e-mail address in " + sourceField(MappingProvider.EMAIL_ATTRIBUTE) + " " + p)
                .or(() -> mobile.flatMap(AddressCheck::mobileProblem)
                        .map(p -> "the mobile number in " + sourceField(MappingProvider.MOBILE_ATTRIBUTE) + " " + p));
        if (bad.isPresent()) {
            // No request at all; the fingerprint travels so the refusal is remembered like APSIS's own.
            return new ContactPlan(
                    key,
                    ContactPlan.Outcome.QUARANTINE,
                    false,
                    false,
                    List.of(),
                    Map.of(),
                    List.of(),
                    new ContactPlan.SnapshotContent(fingerprint, Map.of(), Map.of(), true, false),
                    bad.get());
        }
        boolean create = before == null || !before.profileCreated();
        Map<String, Object> sent = create ? Map.of() : before.attributes();
        Map<String, Boolean> consents = new HashMap<>(
                create ? Map.of() : unknownAsGiven(before, unknown).consents());

        // E-mail change: opt the old address out of everything it had, before the address changes.
        List<ConsentStep> beforePatch = new ArrayList<>();
        Object storedEmail = create ? null : sent.get(MappingProvider.EMAIL_ATTRIBUTE);
        // The store may hold the address as its digest: compared, never read.
        boolean emailChanged = text(storedEmail).isPresent()
                && !(email.isPresent() && ContactSnapshot.sameValue(storedEmail, email.get()));
        if (emailChanged && consent.moveConsentOnEmailChange()) {
            for (Map.Entry<String, Boolean> c : new TreeMap<>(consents).entrySet()) {
                if (c.getValue() && c.getKey().endsWith("|" + Channels.EMAIL)) {
                    beforePatch.add(ConsentStep.of(
                            c.getKey(),
                            false,
                            email.isPresent()
                                    ? "E-mail address changed in Efficy"
                                    : "E-mail address removed in Efficy"));
                    consents.put(c.getKey(), false);
                }
            }
        }

        Map<String, Object> patch = new LinkedHashMap<>();
        Map<String, Object> nowSent = new LinkedHashMap<>();
        for (Map.Entry<String, Object> d : desired.entrySet()) {
            Object old = sent.get(d.getKey());
            if (d.getValue() != null) {
                nowSent.put(d.getKey(), d.getValue());
            }
            if (unknown.attributes().contains(d.getKey())
                    || (!ContactSnapshot.sameValue(old, d.getValue()) && !(old == null && d.getValue() == null))) {
                patch.put(d.getKey(), d.getValue());
            }
        }

        List<ConsentStep> afterPatch = new ArrayList<>();
        for (Map.Entry<String, Boolean> t : new TreeMap<>(ticked).entrySet()) {
            Boolean state = consents.get(t.getKey());
            if (unknown.consents().contains(t.getKey())
                    && !beforePatch.stream().anyMatch(s -> s.slot().equals(t.getKey()))) {
                afterPatch.add(ConsentStep.of(
                        t.getKey(), t.getValue(), t.getValue() ? "Ticked in Efficy" : "Unticked in Efficy"));
                consents.put(t.getKey(), t.getValue());
            } else if (t.getValue() && !Boolean.TRUE.equals(state)) {
                afterPatch.add(ConsentStep.of(
                        t.getKey(),
                        true,
                        emailChanged
                                        && beforePatch.stream()
                                                .anyMatch(s -> s.slot().equals(t.getKey()))
                                ? "E-mail address changed in Efficy"
                                : "Ticked in Efficy"));
                consents.put(t.getKey(), true);
            } else if (!t.getValue() && Boolean.TRUE.equals(state)) {
                afterPatch.add(ConsentStep.of(t.getKey(), false, "Unticked in Efficy"));
                consents.put(t.getKey(), false);
            }
        }
        ContactPlan.SnapshotContent next = new ContactPlan.SnapshotContent(fingerprint, nowSent, consents, true, true);
        return new ContactPlan(
                key,
                create ? ContactPlan.Outcome.CREATE : ContactPlan.Outcome.UPDATE,
                false,
                create,
                beforePatch,
                patch,
                afterPatch,
                next,
                null);
    }

    /**
     * Plans what happens to a contact that stops matching or is deleted in Efficy, by policy.
     *
     * @param policy LEAVE, OPT_OUT or DELETE_PROFILE
     */
    public ContactPlan stop(
            long key, ContactSnapshot before, StopMatchingPolicy policy, String reason, ContactPlan.Outcome outcome) {
        switch (policy) {
            case DELETE_PROFILE:
                if (!before.profileCreated()) {
                    return empty(key, outcome, null);
                }
                return new ContactPlan(
                        key,
                        outcome,
                        true,
                        false,
                        List.of(),
                        Map.of(),
                        List.of(),
                        new ContactPlan.SnapshotContent("deleted", Map.of(), Map.of(), false, false),
                        null);
            case OPT_OUT:
                List<ConsentStep> outs = new ArrayList<>();
                Map<String, Boolean> consents = new HashMap<>(before.consents());
                for (Map.Entry<String, Boolean> c : new TreeMap<>(before.consents()).entrySet()) {
                    if (c.getValue()) {
                        outs.add(ConsentStep.of(c.getKey(), false, reason));
                        consents.put(c.getKey(), false);
                    }
                }
                return new ContactPlan(
                        key,
                        outcome,
                        false,
                        false,
                        List.of(),
                        Map.of(),
                        outs,
                        new ContactPlan.SnapshotContent(
                                before.fingerprint(), before.attributes(), consents, false, before.profileCreated()),
                        null);
            default:
                return new ContactPlan(
                        key,
                        outcome,
                        false,
                        false,
                        List.of(),
                        Map.of(),
                        List.of(),
                        new ContactPlan.SnapshotContent(
                                before.fingerprint(),
                                before.attributes(),
                                before.consents(),
                                false,
                                before.profileCreated()),
                        null);
        }
    }

    /** The snapshot with each unknown consent counted as given: withdrawing it then sends its opt-out. */
    private static ContactSnapshot unknownAsGiven(ContactSnapshot s, Unknown unknown) {
        if (unknown.consents().isEmpty()) {
            return s;
        }
        Map<String, Boolean> consents = new HashMap<>(s.consents());
        unknown.consents().forEach(slot -> consents.put(slot, true));
        return new ContactSnapshot(
                s.contactKey(),
                s.version(),
                s.fingerprint(),
                s.attributes(),
                consents,
                s.matched(),
                s.profileCreated(),
                s.updatedAt());
    }

    private String sourceField(String attribute) {
        return mapping.mappings().stream()
                .filter(m -> m.attribute().equals(attribute))
                .map(FieldMapping::field)
                .findFirst()
                .orElse(attribute);
    }

    private static ContactPlan empty(long key, ContactPlan.Outcome outcome, String reason) {
        return new ContactPlan(key, outcome, false, false, List.of(), Map.of(), List.of(), null, reason);
    }

    private static Optional<String> text(Object v) {
        return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString());
    }
}

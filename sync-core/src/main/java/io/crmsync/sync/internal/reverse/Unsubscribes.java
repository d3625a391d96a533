package io.crmsync.sync.internal.reverse;

import io.crmsync.apsis.consent.Consent;
import io.crmsync.apsis.consent.ConsentType;
import io.crmsync.apsis.error.ApsisNotFoundException;
import io.crmsync.apsis.profile.ProfileKey;
import io.crmsync.sync.ContactData;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.internal.Policies;
import io.crmsync.sync.internal.ProfileTarget;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.internal.forward.ContactReader;
import io.crmsync.sync.internal.run.RunCounters;
import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.StateStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an unsubscribe does in Efficy: the mapped consent is unticked (a checkbox cleared, a Profile
 * link removed), and the contact's snapshot records the opt-out so forward sync does not opt the
 * contact back in. Internal.
 */
final class Unsubscribes {

    private final Services services;
    private final ProfileTarget target;
    private final Policies policies;
    private final ContactReader reader;

    Unsubscribes(Services services, ProfileTarget target, Policies policies, ContactReader reader) {
        this.services = services;
        this.target = target;
        this.policies = policies;
        this.reader = reader;
    }

    /**
     * Decides the unticks for contacts that unsubscribed: every mapped consent APSIS now has opted
     * out while the engine last sent it opted in (the opt-out came from APSIS). Checkbox unticks are
     * added to {@code fields} (written with the chunk's field updates); Profile removals are made
     * here. The contacts are read in one batched request.
     *
     * @return per contact, the consent slots unticked
     */
    Map<Long, Set<String>> unticks(Set<Long> unsubscribed, Map<Long, Map<String, Object>> fields, RunCounters run) {
        Map<Long, Set<String>> unticked = new LinkedHashMap<>();
        if (unsubscribed.isEmpty()) {
            return unticked;
        }
        StateStore store = services.store();
        Map<Long, ContactSnapshot> snapshots = store.snapshots(unsubscribed);
        List<Long> synced = unsubscribed.stream()
                .filter(k -> snapshots.containsKey(k) && snapshots.get(k).profileCreated())
                .toList();
        if (synced.isEmpty()) {
            return unticked;
        }
        Map<Long, ContactData> now = reader.many(synced);
        for (long contactKey : synced) {
            ContactData contact = now.get(contactKey);
            if (contact == null) {
                continue;
            }
            List<Consent> optedOut;
            try {
                optedOut = services.apsis()
                        .consents()
                        .list(
                                new ProfileKey(target.keyspace(), Long.toString(contactKey)),
                                target.section(),
                                Set.of(ConsentType.OPT_OUT));
            } catch (ApsisNotFoundException e) {
                continue;
            }
            Set<String> outSlots = new HashSet<>();
            optedOut.forEach(c -> outSlots.add(c.topic() + "|" + c.channel()));
            for (ConsentMapping m : policies.consentPolicy().mappings()) {
                if (!outSlots.contains(m.slot())
                        || !Boolean.TRUE.equals(
                                snapshots.get(contactKey).consents().get(m.slot()))
                        || !m.isTicked(contact.fields(), contact.profiles())) {
                    continue;
                }
                if (m.isCheckbox()) {
                    fields.computeIfAbsent(contactKey, k -> new LinkedHashMap<>())
                            .put(m.field(), "0");
                } else {
                    services.efficy().contacts().removeProfile(contactKey, m.profileKey());
                    run.written.incrementAndGet();
                }
                unticked.computeIfAbsent(contactKey, k -> new HashSet<>()).add(m.slot());
            }
        }
        return unticked;
    }

    /** Records in the snapshot that the slots are opted out, so forward sync does not opt back in. */
    void recordOptOut(long contactKey, Set<String> changed) {
        StateStore store = services.store();
        for (int attempt = 0; attempt < 3; attempt++) {
            ContactSnapshot s = store.snapshot(contactKey).orElseThrow();
            Map<String, Boolean> consents = new HashMap<>(s.consents());
            changed.forEach(slot -> consents.put(slot, false));
            if (store.saveSnapshot(s.next(
                    s.fingerprint(),
                    s.attributes(),
                    consents,
                    s.matched(),
                    s.profileCreated(),
                    services.clock().instant()))) {
                return;
            }
        }
    }
}

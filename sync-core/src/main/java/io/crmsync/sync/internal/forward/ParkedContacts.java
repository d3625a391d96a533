package io.crmsync.sync.internal.forward;

import io.crmsync.sync.ContactData;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.internal.run.RunCounters;
import io.crmsync.sync.state.QuarantinedRecord;
import java.util.List;
import java.util.Optional;

/**
 * Contacts parked after a passing failure, tried again at the end of each poll and full sync: each
 * is read afresh from Efficy and synced; one that now succeeds leaves the quarantine, one that
 * fails again stays parked (up to {@value #MAX_ATTEMPTS} attempts, after which only
 * {@code retryQuarantined} tries it). Internal.
 */
final class ParkedContacts {

    static final int MAX_ATTEMPTS = 10;

    private final Services services;
    private final ContactReader reader;
    private final ContactSyncer syncer;

    ParkedContacts(Services services, ContactReader reader, ContactSyncer syncer) {
        this.services = services;
        this.reader = reader;
        this.syncer = syncer;
    }

    /** Tries every parked contact once; returns how many left the quarantine. */
    int retry(RunCounters run) {
        List<QuarantinedRecord> parked = services.store().quarantined().stream()
                .filter(q -> q.kind().equals(ContactSyncer.CONTACT)
                        && ContactSyncer.PARKED.equals(q.payload())
                        && q.attempts() < MAX_ATTEMPTS)
                .toList();
        int released = 0;
        for (QuarantinedRecord q : parked) {
            long key = Long.parseLong(q.id());
            run.fence.check();
            int quarantinedBefore = run.quarantined.size();
            try {
                Optional<ContactData> contact = reader.one(key);
                if (contact.isPresent()) {
                    syncer.process(contact.get(), run, false);
                } else {
                    syncer.deleted(key, run);
                }
                run.consecutiveFailures.set(0);
                if (run.quarantined.size() == quarantinedBefore) {
                    services.store().release(ContactSyncer.CONTACT, q.id());
                    released++;
                }
            } catch (RuntimeException e) {
                Optional<RuntimeException> stop = syncer.parkOrStop(key, e, run);
                if (stop.isPresent()) {
                    throw stop.get();
                }
            }
        }
        return released;
    }
}

package io.crmsync.sync.internal.forward;

import io.crmsync.efficy.webhook.EfficyWebhookEvent;
import io.crmsync.sync.ContactData;
import io.crmsync.sync.Job;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.internal.run.JobRunner;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Real-time sync: one contact now, or the contacts of an Efficy webhook call, each read fresh
 * from Efficy (webhook fields may be partial, late or forged); the reads of concurrent calls are
 * coalesced into batched requests ({@link CoalescedReads}). A contact Efficy no longer has is
 * handled as deleted; a Delete record for a contact Efficy still has is synced as an update. Internal; {@code SyncEngine.syncContact} and {@code handleEfficyWebhook} are the
 * entry points.
 */
public final class RealTimeSync {

    private final JobRunner jobs;
    private final CoalescedReads reader;
    private final ContactSyncer syncer;

    public RealTimeSync(JobRunner jobs, ContactReader reader, ContactSyncer syncer) {
        this.jobs = jobs;
        this.reader = new CoalescedReads(reader);
        this.syncer = syncer;
    }

    /** Syncs one contact. */
    public SyncReport contact(long contactKey) {
        return jobs.run(Job.SYNC_CONTACT, false, run -> {
            Optional<ContactData> contact = reader.one(contactKey);
            if (contact.isPresent()) {
                run.seen.incrementAndGet();
                syncer.process(contact.get(), run, false);
            } else {
                syncer.deleted(contactKey, run);
            }
        });
    }

    /**
     * Syncs the contact records of an Efficy webhook body.
     *
     * @throws IllegalArgumentException when the body is not an Efficy webhook payload
     */
    public SyncReport webhook(String body) {
        EfficyWebhookEvent event = EfficyWebhookEvent.parse(body);
        return jobs.run(Job.WEBHOOK, false, run -> {
            Set<Long> done = new HashSet<>();
            for (EfficyWebhookEvent.Record record : event.contactRecords()) {
                if (!done.add(record.key())) {
                    continue;
                }
                run.seen.incrementAndGet();
                // Every record is a hint, Delete included: the contact is read from Efficy, and only a
                // contact Efficy no longer has is handled as deleted (a forged Delete opts nobody out).
                Optional<ContactData> contact = reader.one(record.key());
                if (contact.isPresent()) {
                    syncer.process(contact.get(), run, false);
                } else {
                    syncer.deleted(record.key(), run);
                }
            }
        });
    }
}

package io.crmsync.sync.internal.forward;

import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPage;
import io.crmsync.sync.Job;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.internal.ForwardSettings;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.internal.run.JobRunner;
import io.crmsync.sync.state.StateStore;
import java.time.LocalDateTime;
import java.util.Iterator;

/**
 * The change poller: syncs the contacts changed since the last poll, following {@code D_CHANGE}
 * with ties broken by key, and commits its cursor after each page. Internal;
 * {@code SyncEngine.pollChanges} is the entry point.
 */
public final class ChangePoller {

    private final Services services;
    private final ForwardSettings forward;
    private final JobRunner jobs;
    private final ContactReader reader;
    private final ContactSyncer syncer;
    private final ParkedContacts parked;

    public ChangePoller(
            Services services, ForwardSettings forward, JobRunner jobs, ContactReader reader, ContactSyncer syncer) {
        this.services = services;
        this.forward = forward;
        this.jobs = jobs;
        this.reader = reader;
        this.syncer = syncer;
        this.parked = new ParkedContacts(services, reader, syncer);
    }

    /** Polls once: every page of changes since the cursor. */
    public SyncReport run() {
        return jobs.run(Job.POLL, false, run -> {
            StateStore store = services.store();
            ContactCursor cursor = store.cursor(Job.POLL.id())
                    .map(ChangePoller::parseCursor)
                    .orElse(ContactCursor.changedSince(LocalDateTime.of(1900, 1, 1, 0, 0), 0));
            Iterator<ContactPage> pages =
                    reader.pages(cursor, forward.pollPageSize()).iterator();
            while (pages.hasNext()) {
                ContactPage page = pages.next();
                syncer.processPage(page.contacts().stream().map(reader::toData).toList(), run, false);
                run.fence.confirm(); // a run that lost its lease writes no checkpoint
                store.saveCursor(Job.POLL.id(), formatCursor(page.next()));
                jobs.progress(run);
            }
            parked.retry(run);
        });
    }

    /** The poll cursor as stored: {@code <change time>|<last key>}. */
    static String formatCursor(ContactCursor cursor) {
        return cursor.changedAt().orElseThrow() + "|" + cursor.lastKey();
    }

    /** Reads a stored poll cursor. */
    static ContactCursor parseCursor(String value) {
        int bar = value.lastIndexOf('|');
        return ContactCursor.changedSince(
                LocalDateTime.parse(value.substring(0, bar)), Long.parseLong(value.substring(bar + 1)));
    }
}

package io.crmsync.sync.internal.forward;

import io.crmsync.efficy.contact.Contact;
import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPage;
import io.crmsync.sync.ContactData;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.Job;
import io.crmsync.sync.SyncMode;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.internal.ForwardSettings;
import io.crmsync.sync.internal.Policies;
import io.crmsync.sync.internal.ProfileTarget;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.internal.plan.ContactPlan;
import io.crmsync.sync.internal.run.JobRunner;
import io.crmsync.sync.internal.run.RunCounters;
import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.QuarantinedRecord;
import io.crmsync.sync.state.StateStore;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The full sync: walks every Efficy contact in pages (the next page read ahead while one is
 * planned), per profile or by streamed CSV imports ({@link ImportPipeline}), checkpoints after each
 * page once everything it wrote is committed, resumes from the checkpoint after a crash, and when
 * complete leaves the poll cursor at its start. Internal; {@code SyncEngine.fullSync} is the entry point.
 */
public final class FullSyncJob {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FullSyncJob.class);

    /** When the full sync now checkpointed first started; read when it completes. */
    static final String STARTED = "fullSync.startedAt";
    /** How many contacts the last complete (not resumed) full sync read: the next one's expected total. */
    static final String SEEN = "fullSync.seen";

    private final Services services;
    private final ProfileTarget target;
    private final Policies policies;
    private final ForwardSettings forward;
    private final JobRunner jobs;
    private final ContactReader reader;
    private final ContactSyncer syncer;
    private final ImportWriter importer;
    private final ImportLedger ledger;
    private final ParkedContacts parked;

    public FullSyncJob(
            Services services,
            ProfileTarget target,
            Policies policies,
            ForwardSettings forward,
            JobRunner jobs,
            ContactReader reader,
            ContactSyncer syncer) {
        this.services = services;
        this.target = target;
        this.policies = policies;
        this.forward = forward;
        this.jobs = jobs;
        this.reader = reader;
        this.syncer = syncer;
        this.ledger = new ImportLedger(services.store());
        this.parked = new ParkedContacts(services, reader, syncer);
        this.importer = new ImportWriter(
                services.apsis(), target.section(), target.keyspace(), policies.mapping(), policies.consentPolicy());
    }

    /** The APSIS imports a full sync submitted and has not settled, from the store's import ledger. */
    public static int importsInFlight(StateStore store) {
        return ImportLedger.count(store);
    }

    /** Runs a full sync with the given options (see {@code SyncEngine.fullSync}). */
    public SyncReport run(FullSyncOptions options) {
        Objects.requireNonNull(options, "options");
        return jobs.run(Job.FULL_SYNC, options.dryRun(), run -> {
            StateStore store = services.store();
            Optional<String> checkpoint = options.dryRun() ? Optional.empty() : store.cursor(Job.FULL_SYNC.id());
            ContactCursor cursor = checkpoint
                    .map(k -> ContactCursor.afterKey(Long.parseLong(k)))
                    .orElse(ContactCursor.start());
            checkpoint.ifPresent(k -> run.resumedFrom = k);
            if (checkpoint.isEmpty()) {
                run.expected = store.cursor(SEEN).map(Long::parseLong).orElse(-1L);
            }
            if (checkpoint.isEmpty() && !options.dryRun()) {
                store.saveCursor(STARTED, services.clock().instant().toString());
            }
            if (!options.dryRun()) {
                // Under the lease, nothing else imports for this engine: what is on disk or recorded as
                // unsettled was left by a run that died. Settle it before creating any import.
                services.apsis().imports().purgeLeftovers();
                SnapshotSpool.purge(services.apsis().imports().directory());
                ledger.settleAll(services.apsis().imports(), ImportWriter.KEY_COLUMN);
            }
            boolean imports = !options.dryRun() && options.mode() != SyncMode.PER_PROFILE;
            try (ReadAhead<ContactPage> pages = new ReadAhead<>(
                            reader.pages(cursor, options.pageSize()).iterator(), 2, "crmsync-read-ahead");
                    ImportPipeline pipeline = imports
                            ? new ImportPipeline(services, target, syncer, reader, importer, ledger, options, run)
                            : null) {
                while (pages.hasNext()) {
                    ContactPage page = pages.next();
                    List<ContactData> contacts = new ArrayList<>(page.contacts().size());
                    for (Contact c : page.contacts()) {
                        contacts.add(reader.toData(c));
                    }
                    long lastKey = page.next().lastKey();
                    if (options.dryRun()) {
                        planOnly(contacts, run);
                    } else if (pipeline == null) {
                        syncer.processPage(contacts, run, options.retryQuarantined());
                        run.fence.confirm(); // a run that lost its lease writes no checkpoint
                        store.saveCursor(Job.FULL_SYNC.id(), Long.toString(lastKey));
                    } else {
                        planPage(contacts, options, run, pipeline);
                        pipeline.pageDone(lastKey, contacts.size());
                    }
                    jobs.progress(run);
                }
                if (pipeline != null) {
                    pipeline.finish();
                }
            }
            if (!options.dryRun()) {
                parked.retry(run);
                run.fence.confirm();
                advancePollCursor(store);
                if (run.resumedFrom.isEmpty()) {
                    store.saveCursor(SEEN, Long.toString(run.seen.get()));
                }
                store.deleteCursor(Job.FULL_SYNC.id());
            }
        });
    }

    /** A dry run's page: planned and counted, nothing written or committed. */
    private void planOnly(List<ContactData> contacts, RunCounters run) {
        Map<Long, ContactSnapshot> snapshots = services.store()
                .snapshots(contacts.stream().map(ContactData::key).toList());
        for (ContactData c : contacts) {
            run.seen.incrementAndGet();
            ContactPlan plan = syncer.planner().plan(c, Optional.ofNullable(snapshots.get(c.key())));
            syncer.count(plan, run);
            if (plan.outcome() == ContactPlan.Outcome.QUARANTINE) { // reported, not stored: nothing is written
                run.quarantined.add(new QuarantinedRecord(
                        ContactSyncer.CONTACT,
                        Long.toString(c.key()),
                        plan.quarantineReason(),
                        services.clock().instant(),
                        1));
            }
        }
    }

    /**
     * Plans a page: what an import can carry goes to the pipeline; unchanged, still refused and
     * filtered-out contacts are counted here (nothing to write or save); the rest is written per
     * profile now.
     */
    private void planPage(
            List<ContactData> contacts, FullSyncOptions options, RunCounters run, ImportPipeline pipeline) {
        Map<Long, ContactSnapshot> snapshots = services.store()
                .snapshots(contacts.stream().map(ContactData::key).toList());
        List<ContactData> others = new ArrayList<>();
        for (ContactData c : contacts) {
            Optional<ContactSnapshot> previous = Optional.ofNullable(snapshots.get(c.key()));
            if (options.retryQuarantined()) {
                previous = previous.map(SnapshotEdits::forgetRejection);
            }
            ContactPlan plan = syncer.planner().plan(c, previous);
            if (importer.canCarry(plan)) {
                pipeline.add(c, plan, previous);
            } else if (!plan.writes() && plan.next() == null && plan.outcome() != ContactPlan.Outcome.QUARANTINE) {
                run.seen.incrementAndGet();
                syncer.count(plan, run);
            } else {
                others.add(c);
            }
        }
        if (!others.isEmpty()) {
            syncer.processPage(others, run, options.retryQuarantined());
        }
    }

    /**
     * After a completed full sync, moves the poll cursor to the time the full sync started (its
     * first attempt, when it resumed from a checkpoint) less the clock skew: every change before
     * that was read by the full sync. The cursor only moves forward, and stays where it is when the
     * start time is unknown (a checkpoint written by an older version), which costs reads, not data.
     */
    private void advancePollCursor(StateStore store) {
        Optional<Instant> started = store.cursor(STARTED).map(Instant::parse);
        store.deleteCursor(STARTED);
        if (started.isEmpty()) {
            return;
        }
        LocalDateTime from =
                LocalDateTime.ofInstant(started.get().minus(forward.clockSkew()), forward.efficyTimeZone());
        Optional<ContactCursor> current = store.cursor(Job.POLL.id()).map(ChangePoller::parseCursor);
        if (current.isEmpty() || current.get().changedAt().orElseThrow().isBefore(from)) {
            store.saveCursor(Job.POLL.id(), ChangePoller.formatCursor(ContactCursor.changedSince(from, 0)));
        }
    }
}

package io.crmsync.sync.internal.forward;

import io.crmsync.efficy.contact.Contact;
import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPage;
import io.crmsync.sync.ContactData;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.Job;
import io.crmsync.sync.StateStore;
import io.crmsync.sync.SyncMode;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.internal.EngineContext;
import io.crmsync.sync.internal.plan.ContactPlan;
import io.crmsync.sync.internal.run.JobRunner;
import io.crmsync.sync.internal.run.RunCounters;
import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.QuarantinedRecord;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The full sync: walks every Efficy contact in pages, per profile or by CSV import, commits a
 * checkpoint after each page or import batch, resumes from it after a crash, and when complete
 * leaves the poll cursor at its start. Internal; {@code SyncEngine.fullSync} is the entry point.
 */
public final class FullSyncJob {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FullSyncJob.class);

  /** When the full sync now checkpointed first started; read when it completes. */
  static final String STARTED = "fullSync.startedAt";

  private final EngineContext ctx;
  private final JobRunner jobs;
  private final ContactReader reader;
  private final ContactSyncer syncer;
  private final ImportWriter importer;
  private final ImportLedger ledger;
  private final ParkedContacts parked;

  public FullSyncJob(EngineContext ctx, JobRunner jobs, ContactReader reader, ContactSyncer syncer) {
    this.ctx = ctx;
    this.jobs = jobs;
    this.reader = reader;
    this.syncer = syncer;
    this.ledger = new ImportLedger(ctx.store());
    this.parked = new ParkedContacts(ctx, reader, syncer);
    this.importer = new ImportWriter(ctx.apsis(), ctx.section(), ctx.keyspace(), ctx.mapping(), ctx.consentPolicy(),
        ledger);
  }

  /** Runs a full sync with the given options (see {@code SyncEngine.fullSync}). */
  public SyncReport run(FullSyncOptions options) {
    Objects.requireNonNull(options, "options");
    return jobs.run(Job.FULL_SYNC, options.dryRun(), run -> {
      StateStore store = ctx.store();
      Optional<String> checkpoint = options.dryRun() ? Optional.empty() : store.cursor(Job.FULL_SYNC.id());
      ContactCursor cursor = checkpoint.map(k -> ContactCursor.afterKey(Long.parseLong(k))).orElse(ContactCursor.start());
      checkpoint.ifPresent(k -> run.resumedFrom = k);
      if (checkpoint.isEmpty() && !options.dryRun()) {
        store.saveCursor(STARTED, ctx.clock().instant().toString());
      }
      if (!options.dryRun()) {
        // Under the lease, nothing else imports for this engine: what is on disk or recorded as
        // unsettled was left by a run that died. Settle it before creating any import.
        ctx.apsis().imports().purgeLeftovers();
        ledger.settleAll(ctx.apsis().imports(), ImportWriter.KEY_COLUMN);
      }
      List<ContactData> batch = new ArrayList<>();
      long batchLastKey = cursor.lastKey();
      Iterator<ContactPage> pages = reader.pages(cursor, options.pageSize()).iterator();
      while (pages.hasNext()) {
        ContactPage page = pages.next();
        for (Contact c : page.contacts()) {
          batch.add(reader.toData(c));
        }
        batchLastKey = page.next().lastKey();
        boolean flush = options.mode() == SyncMode.PER_PROFILE || batch.size() >= options.importBatchSize()
            || !pages.hasNext();
        if (flush) {
          runBatch(batch, options, run);
          if (!options.dryRun()) {
            run.fence.check(); // a run that lost its lease writes no checkpoint
            store.saveCursor(Job.FULL_SYNC.id(), Long.toString(batchLastKey));
          }
          batch.clear();
          jobs.progress(run);
        }
      }
      if (!options.dryRun()) {
        parked.retry(run);
        run.fence.check();
        advancePollCursor(store);
        store.deleteCursor(Job.FULL_SYNC.id());
      }
    });
  }

  private void runBatch(List<ContactData> batch, FullSyncOptions options, RunCounters run) {
    if (options.dryRun()) {
      Map<Long, ContactSnapshot> snapshots = ctx.store().snapshots(batch.stream().map(ContactData::key).toList());
      for (ContactData c : batch) {
        run.seen.incrementAndGet();
        ContactPlan plan = syncer.planner().plan(c, Optional.ofNullable(snapshots.get(c.key())));
        syncer.count(plan, run);
        if (plan.outcome() == ContactPlan.Outcome.QUARANTINE) { // reported, not stored: nothing is written
          run.quarantined.add(new QuarantinedRecord(ContactSyncer.CONTACT, Long.toString(c.key()),
              plan.quarantineReason(), ctx.clock().instant(), 1));
        }
      }
      return;
    }
    boolean retry = options.retryQuarantined();
    if (options.mode() == SyncMode.PER_PROFILE) {
      syncer.processPage(batch, run, retry);
      return;
    }
    // Plan the batch, then send what an import can carry by import and the rest per profile.
    Map<Long, ContactSnapshot> snapshots = new java.util.HashMap<>(
        ctx.store().snapshots(batch.stream().map(ContactData::key).toList()));
    if (retry) {
      snapshots.replaceAll((k, v) -> ContactSyncer.forgetRejection(v));
    }
    List<ContactPlan> importable = new ArrayList<>();
    List<ContactData> importableContacts = new ArrayList<>();
    List<ContactData> others = new ArrayList<>();
    for (ContactData c : batch) {
      ContactPlan plan = syncer.planner().plan(c, Optional.ofNullable(snapshots.get(c.key())));
      if (importer.canCarry(plan)) {
        importable.add(plan);
        importableContacts.add(c);
      } else if (!plan.writes() && plan.next() == null && plan.outcome() != ContactPlan.Outcome.QUARANTINE) {
        // Unchanged, still refused or filtered out: nothing to write or save, so it is done here
        // rather than planned a second time on the per-profile path.
        run.seen.incrementAndGet();
        syncer.count(plan, run);
      } else {
        others.add(c);
      }
    }
    boolean useImport = options.mode() == SyncMode.IMPORT || importable.size() >= options.importThreshold();
    if (!useImport) {
      List<ContactData> perProfile = new ArrayList<>(importableContacts);
      perProfile.addAll(others);
      syncer.processPage(perProfile, run, retry);
      return;
    }
    if (!importable.isEmpty()) {
      run.fence.check(); // before the import: a run that lost its lease writes nothing more
      List<ProfileWriter.Result> results;
      try {
        results = importer.execute(importable);
      } catch (io.crmsync.apsis.error.ApsisRateLimitException e) {
        // APSIS keeps refusing new imports (its pending-import limit, perhaps held by imports
        // another client made): the batch goes per profile instead of failing the run. Profile
        // writes are upserts, so rows an import may still apply later do no harm.
        LOG.warn("APSIS refused a new import for longer than the throttle wait; writing {} contacts per profile",
            importable.size());
        List<ContactData> perProfile = new ArrayList<>(importableContacts);
        perProfile.addAll(others);
        syncer.processPage(perProfile, run, retry);
        return;
      }
      List<ContactPlan> committed = new ArrayList<>();
      List<ContactSnapshot> next = new ArrayList<>();
      for (int i = 0; i < importable.size(); i++) {
        ContactPlan plan = importable.get(i);
        run.seen.incrementAndGet();
        ProfileWriter.Result result = results.get(i);
        if (result.ok()) {
          committed.add(plan);
          next.add(syncer.nextSnapshot(plan, Optional.ofNullable(snapshots.get(plan.contactKey()))));
        } else {
          syncer.rejected(plan, Optional.ofNullable(snapshots.get(plan.contactKey())), result.quarantineReason(), run);
        }
      }
      // One compare-and-set batch for the import's contacts, not a statement each.
      List<Boolean> saved = ctx.store().saveSnapshots(next);
      for (int i = 0; i < committed.size(); i++) {
        ContactPlan plan = committed.get(i);
        if (saved.get(i)) {
          syncer.count(plan, run);
          ctx.store().release(ContactSyncer.CONTACT, Long.toString(plan.contactKey()));
        } else {
          // Another writer saved this contact meanwhile: let the per-profile path re-plan it.
          run.seen.decrementAndGet();
          others.add(batch.stream().filter(c -> c.key() == plan.contactKey()).findFirst().orElseThrow());
        }
      }
    }
    syncer.processPage(others, run, retry);
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
    LocalDateTime from = LocalDateTime.ofInstant(started.get().minus(ctx.clockSkew()), ctx.efficyTimeZone());
    Optional<ContactCursor> current = store.cursor(Job.POLL.id()).map(ChangePoller::parseCursor);
    if (current.isEmpty() || current.get().changedAt().orElseThrow().isBefore(from)) {
      store.saveCursor(Job.POLL.id(), ChangePoller.formatCursor(ContactCursor.changedSince(from, 0)));
    }
  }
}

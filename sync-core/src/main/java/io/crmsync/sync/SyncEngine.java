package io.crmsync.sync;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.profile.ProfileKey;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.contact.Contact;
import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPage;
import io.crmsync.efficy.rpc.Dataset;
import io.crmsync.efficy.rpc.Row;
import io.crmsync.efficy.webhook.EfficyWebhookEvent;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.plan.ContactPlan;
import io.crmsync.sync.plan.Planner;
import io.crmsync.sync.state.ContactSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps APSIS One profiles in step with Efficy Enterprise contacts.
 *
 * <p>Every trigger takes the same path: read the contact (with its consent checkboxes and Profile
 * memberships) from Efficy, apply the {@link SyncCondition}, map fields with the
 * {@link MappingProvider}, decide consents with the {@link ConsentPolicy}, diff against the
 * contact's last snapshot in the {@link StateStore}, write only what changed to APSIS, and save
 * the new snapshot only once APSIS confirmed the writes. An unchanged contact costs no APSIS call.
 *
 * <p>Triggers: {@link #syncContact}, {@link #handleEfficyWebhook}, {@link #pollChanges} (follows
 * {@code D_CHANGE}), {@link #fullSync} (resumable, per profile or by CSV import), and
 * {@link #syncQueries} (stored queries as tags). {@link #validateSetup} checks both accounts.
 *
 * <p>The engine is thread-safe: writes for one contact never overlap, writes for different
 * contacts run on up to {@code concurrency} threads (default 8), and the APSIS client keeps the
 * rate limits. Jobs that must run once at a time across instances (poll, full sync, queries) take
 * a lease in the store. Close the engine to stop its threads.
 *
 * <pre>{@code
 * try (SyncEngine engine = SyncEngine.builder()
 *     .efficy(efficyClient)
 *     .apsis(apsisClient)
 *     .section("com.apsis1.sections.default")
 *     .consentPolicy(ConsentPolicy.of(
 *         ConsentMapping.checkbox("F_NEWSLETTER", "usercreated.topics.newsletter-ab12cd34ef", Channels.EMAIL)))
 *     .stateStore(JdbcStateStore.create("jdbc:h2:file:./crmsync-state"))
 *     .build()) {
 *   SyncReport report = engine.fullSync(FullSyncOptions.defaults());
 * }
 * }</pre>
 */
public final class SyncEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
  static final String CONTACT = "contact";
  static final String FULL_SYNC = "fullSync";
  static final String POLL = "poll";
  /** When the full sync now checkpointed first started; read when it completes. */
  static final String FULL_SYNC_STARTED = "fullSync.startedAt";
  static final String QUERIES = "syncQueries";

  private final EfficyClient efficy;
  private final ApsisClient apsis;
  private final String section;
  private final String keyspace;
  private final MappingProvider mapping;
  private final ConsentPolicy consentPolicy;
  private final SyncCondition condition;
  private final StopMatchingPolicy stopMatching;
  private final DeletedContactPolicy deletedContact;
  private final StateStore store;
  private final SyncListener listener;
  private final Clock clock;
  private final List<QueryTagMapping> queries;
  private final String instanceId;
  private final Duration leaseTtl;
  private final int pollPageSize;
  private final Duration clockSkew;
  private final java.time.ZoneId efficyTimeZone;
  private final Planner planner;
  private final ContactReader reader;
  private final ProfileWriter writer;
  private final ImportWriter importer;
  private final ExecutorService workers;
  private final ReverseSync reverse;
  private final TaskWebhookHandler tasks;
  private final io.crmsync.sync.reverse.ResponseMapping responseMapping;
  private final io.crmsync.sync.reverse.TaskWebhookConfig taskWebhook;
  private final ReentrantLock[] locks = new ReentrantLock[1024];

  private SyncEngine(Builder b) {
    this.efficy = b.efficy;
    this.apsis = b.apsis;
    this.section = b.section;
    this.keyspace = b.keyspace;
    this.mapping = b.mapping;
    this.consentPolicy = b.consentPolicy;
    this.condition = b.condition;
    this.stopMatching = b.stopMatching;
    this.deletedContact = b.deletedContact;
    this.store = b.store;
    this.listener = b.listener;
    this.clock = b.clock;
    this.queries = List.copyOf(b.queries);
    this.instanceId = b.instanceId;
    this.leaseTtl = b.leaseTtl;
    this.pollPageSize = b.pollPageSize;
    this.clockSkew = b.clockSkew;
    this.efficyTimeZone = b.efficyTimeZone;
    this.planner = new Planner(mapping, consentPolicy, condition, stopMatching);
    this.reader = new ContactReader(efficy, mapping, consentPolicy, condition);
    this.writer = new ProfileWriter(apsis, section, keyspace, b.consentSource);
    this.importer = new ImportWriter(apsis, section, keyspace, mapping, consentPolicy);
    this.workers = Executors.newFixedThreadPool(b.concurrency, r -> {
      Thread t = new Thread(r, "crmsync-writer");
      t.setDaemon(true);
      return t;
    });
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new ReentrantLock();
    }
    this.responseMapping = b.responseMapping;
    this.taskWebhook = b.taskWebhook;
    this.reverse = new ReverseSync(this, b.responseMapping, b.reverseWindow, b.reverseLookback, b.exportKeyAttribute);
    this.tasks = b.taskWebhook == null ? null : new TaskWebhookHandler(this, b.taskWebhook);
  }

  /** Starts a builder; the two clients and the section are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The state store. */
  public StateStore stateStore() {
    return store;
  }

  /** The Efficy client. */
  public EfficyClient efficy() {
    return efficy;
  }

  /** The APSIS client. */
  public ApsisClient apsis() {
    return apsis;
  }

  /** The APSIS section. */
  public String section() {
    return section;
  }

  /** The APSIS keyspace of the profile keys (the Efficy contact keys). */
  public String keyspace() {
    return keyspace;
  }

  /** The consent policy. */
  public ConsentPolicy consentPolicy() {
    return consentPolicy;
  }

  /** The listener. */
  SyncListener listener() {
    return listener;
  }

  /** The clock. */
  Clock clock() {
    return clock;
  }

  // ---------------------------------------------------------------------------------------------
  // Real time

  /**
   * Syncs one contact now: reads it from Efficy and writes what changed to APSIS. A contact Efficy
   * no longer has is handled as deleted ({@link DeletedContactPolicy}).
   */
  public SyncReport syncContact(long contactKey) {
    RunCounters run = start("syncContact", false);
    Optional<ContactData> contact = reader.one(contactKey);
    if (contact.isPresent()) {
      run.seen.incrementAndGet();
      process(contact.get(), run, false);
    } else {
      deleted(contactKey, run);
    }
    return finish(run);
  }

  /**
   * Handles the body of an Efficy webhook call: Create and Update records of contacts are synced
   * (read fresh from Efficy, since webhook fields may be partial and late), Delete records follow
   * the {@link DeletedContactPolicy}. Other tables are ignored.
   *
   * @throws IllegalArgumentException when the body is not an Efficy webhook payload
   */
  public SyncReport handleEfficyWebhook(String body) {
    EfficyWebhookEvent event = EfficyWebhookEvent.parse(body);
    RunCounters run = start("webhook", false);
    Set<Long> done = new HashSet<>();
    for (EfficyWebhookEvent.Record record : event.contactRecords()) {
      if (!done.add(record.key())) {
        continue;
      }
      run.seen.incrementAndGet();
      if (record.operation() == EfficyWebhookEvent.Operation.DELETE) {
        deleted(record.key(), run);
      } else {
        Optional<ContactData> contact = reader.one(record.key());
        if (contact.isPresent()) {
          process(contact.get(), run, false);
        } else {
          deleted(record.key(), run);
        }
      }
    }
    return finish(run);
  }

  /**
   * Syncs the contacts changed since the last poll, following {@code D_CHANGE} with ties broken
   * by key, and commits the cursor after each page. The first poll starts from the beginning
   * (unchanged contacts cost only Efficy reads). Takes the {@code poll} lease.
   *
   * @throws JobAlreadyRunningException when another instance is polling
   */
  public SyncReport pollChanges() {
    return leased(POLL, () -> {
      RunCounters run = start(POLL, false);
      ContactCursor cursor = store.cursor(POLL).map(SyncEngine::parseChangeCursor)
          .orElse(ContactCursor.changedSince(LocalDateTime.of(1900, 1, 1, 0, 0), 0));
      Iterator<ContactPage> pages = reader.pages(cursor, pollPageSize).iterator();
      while (pages.hasNext()) {
        ContactPage page = pages.next();
        processPage(page.contacts().stream().map(reader::toData).toList(), run, false);
        ContactCursor next = page.next();
        store.saveCursor(POLL, next.changedAt().orElseThrow() + "|" + next.lastKey());
        renew(POLL);
        listener(l -> l.progress(POLL, run.seen.get()));
      }
      return finish(run);
    });
  }

  /**
   * After a completed full sync, moves the poll cursor to the time the full sync started (its
   * first attempt, when it resumed from a checkpoint) less the clock skew: every change before
   * that was read by the full sync. The cursor only moves forward, and stays where it is when the
   * start time is unknown (a checkpoint written by an older version), which costs reads, not data.
   */
  private void advancePollCursor() {
    Optional<Instant> started = store.cursor(FULL_SYNC_STARTED).map(Instant::parse);
    store.deleteCursor(FULL_SYNC_STARTED);
    if (started.isEmpty()) {
      return;
    }
    LocalDateTime from = LocalDateTime.ofInstant(started.get().minus(clockSkew), efficyTimeZone);
    Optional<ContactCursor> current = store.cursor(POLL).map(SyncEngine::parseChangeCursor);
    if (current.isEmpty() || current.get().changedAt().orElseThrow().isBefore(from)) {
      store.saveCursor(POLL, from + "|0");
    }
  }

  static ContactCursor parseChangeCursor(String value) {
    int bar = value.lastIndexOf('|');
    return ContactCursor.changedSince(LocalDateTime.parse(value.substring(0, bar)),
        Long.parseLong(value.substring(bar + 1)));
  }

  // ---------------------------------------------------------------------------------------------
  // Full sync

  /**
   * Walks every Efficy contact in pages and syncs what changed, committing snapshots and a
   * checkpoint after each page (or import batch). A run that crashed or was stopped resumes from
   * its checkpoint; a run that completes clears it. In a dry run nothing is written and nothing
   * is committed; the report counts what would be done. Takes the {@code fullSync} lease.
   *
   * @throws JobAlreadyRunningException when another instance runs a full sync
   */
  public SyncReport fullSync(FullSyncOptions options) {
    Objects.requireNonNull(options, "options");
    return leased(FULL_SYNC, () -> {
      RunCounters run = start(FULL_SYNC, options.dryRun());
      Optional<String> checkpoint = options.dryRun() ? Optional.empty() : store.cursor(FULL_SYNC);
      ContactCursor cursor = checkpoint.map(k -> ContactCursor.afterKey(Long.parseLong(k))).orElse(ContactCursor.start());
      checkpoint.ifPresent(k -> run.resumedFrom = k);
      if (checkpoint.isEmpty() && !options.dryRun()) {
        store.saveCursor(FULL_SYNC_STARTED, clock.instant().toString());
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
            store.saveCursor(FULL_SYNC, Long.toString(batchLastKey));
          }
          batch.clear();
          renew(FULL_SYNC);
          listener(l -> l.progress(FULL_SYNC, run.seen.get()));
        }
      }
      if (!options.dryRun()) {
        advancePollCursor();
        store.deleteCursor(FULL_SYNC);
      }
      return finish(run);
    });
  }

  private void runBatch(List<ContactData> batch, FullSyncOptions options, RunCounters run) {
    if (options.dryRun()) {
      Map<Long, ContactSnapshot> snapshots = store.snapshots(batch.stream().map(ContactData::key).toList());
      for (ContactData c : batch) {
        run.seen.incrementAndGet();
        ContactPlan plan = planner.plan(c, Optional.ofNullable(snapshots.get(c.key())));
        count(plan, run);
        if (plan.outcome() == ContactPlan.Outcome.QUARANTINE) { // reported, not stored: nothing is written
          run.quarantined.add(new io.crmsync.sync.state.QuarantinedRecord(CONTACT, Long.toString(c.key()),
              plan.quarantineReason(), clock.instant(), 1));
        }
      }
      return;
    }
    boolean retry = options.retryQuarantined();
    if (options.mode() == SyncMode.PER_PROFILE) {
      processPage(batch, run, retry);
      return;
    }
    // Plan the batch, then send what an import can carry by import and the rest per profile.
    Map<Long, ContactSnapshot> snapshots = new java.util.HashMap<>(
        store.snapshots(batch.stream().map(ContactData::key).toList()));
    if (retry) {
      snapshots.replaceAll((k, v) -> forgetRejection(v));
    }
    List<ContactPlan> importable = new ArrayList<>();
    List<ContactData> importableContacts = new ArrayList<>();
    List<ContactData> others = new ArrayList<>();
    for (ContactData c : batch) {
      ContactPlan plan = planner.plan(c, Optional.ofNullable(snapshots.get(c.key())));
      if (importer.canCarry(plan)) {
        importable.add(plan);
        importableContacts.add(c);
      } else if (!plan.writes() && plan.next() == null && plan.outcome() != ContactPlan.Outcome.QUARANTINE) {
        // Unchanged, still refused or filtered out: nothing to write or save, so it is done here
        // rather than planned a second time on the per-profile path.
        run.seen.incrementAndGet();
        count(plan, run);
      } else {
        others.add(c);
      }
    }
    boolean useImport = options.mode() == SyncMode.IMPORT || importable.size() >= options.importThreshold();
    if (!useImport) {
      List<ContactData> perProfile = new ArrayList<>(importableContacts);
      perProfile.addAll(others);
      processPage(perProfile, run, retry);
      return;
    }
    if (!importable.isEmpty()) {
      List<ProfileWriter.Result> results = importer.execute(importable);
      for (int i = 0; i < importable.size(); i++) {
        ContactPlan plan = importable.get(i);
        run.seen.incrementAndGet();
        ProfileWriter.Result result = results.get(i);
        if (result.ok()) {
          if (commit(plan, Optional.ofNullable(snapshots.get(plan.contactKey())))) {
            count(plan, run);
            store.release(CONTACT, Long.toString(plan.contactKey()));
          } else {
            // Another writer saved this contact meanwhile: let the per-profile path re-plan it.
            run.seen.decrementAndGet();
            others.add(batch.stream().filter(c -> c.key() == plan.contactKey()).findFirst().orElseThrow());
          }
        } else {
          rejected(plan, Optional.ofNullable(snapshots.get(plan.contactKey())), result.quarantineReason(), run);
        }
      }
    }
    processPage(others, run, retry);
  }

  // ---------------------------------------------------------------------------------------------
  // Per contact

  /**
   * Plans and writes the contacts of a page in parallel (one contact per task), then waits. The
   * first failure (APSIS or Efficy down) stops the tasks not yet started: there is no point in
   * hammering a service that is failing, and nothing is lost since the page is not checkpointed.
   */
  private void processPage(List<ContactData> contacts, RunCounters run, boolean retryRejected) {
    java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
    List<Future<?>> tasks = new ArrayList<>(contacts.size());
    for (ContactData c : contacts) {
      run.seen.incrementAndGet();
      tasks.add(workers.submit(() -> {
        if (failure.get() != null) {
          return;
        }
        try {
          process(c, run, retryRejected);
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    for (Future<?> task : tasks) {
      try {
        task.get();
      } catch (ExecutionException e) {
        failure.compareAndSet(null, new IllegalStateException(e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while syncing a page", e);
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** Plans, writes and commits one contact, re-planning if another writer saved it first. */
  private void process(ContactData contact, RunCounters run, boolean retryRejected) {
    ReentrantLock lock = locks[Math.floorMod(Long.hashCode(contact.key()), locks.length)];
    lock.lock();
    try {
      for (int attempt = 0; attempt < 3; attempt++) {
        Optional<ContactSnapshot> previous = store.snapshot(contact.key());
        if (retryRejected) {
          previous = previous.map(SyncEngine::forgetRejection);
        }
        ContactPlan plan = planner.plan(contact, previous);
        if (!apply(plan, previous, run)) {
          continue;
        }
        return;
      }
      quarantine(CONTACT, Long.toString(contact.key()), "snapshot kept changing under concurrent writers", run);
    } finally {
      lock.unlock();
    }
  }

  /** Writes a plan and commits it; false when the snapshot changed meanwhile (re-plan). */
  private boolean apply(ContactPlan plan, Optional<ContactSnapshot> previous, RunCounters run) {
    if (plan.outcome() == ContactPlan.Outcome.QUARANTINE) {
      if (plan.next() != null) {
        rejected(plan, previous, plan.quarantineReason(), run); // remembered: not planned again while unchanged
      } else {
        quarantine(CONTACT, Long.toString(plan.contactKey()), plan.quarantineReason(), run);
      }
      return true;
    }
    if (plan.writes()) {
      ProfileWriter.Result result = writer.execute(plan);
      if (!result.ok()) {
        rejected(plan, previous, result.quarantineReason(), run);
        return true;
      }
    }
    if (plan.next() != null && !commit(plan, previous)) {
      return false;
    }
    count(plan, run);
    if (plan.writes()) {
      store.release(CONTACT, Long.toString(plan.contactKey()));
    }
    return true;
  }

  /**
   * Quarantines a contact APSIS refused and remembers the refused content's fingerprint, so an
   * unchanged contact is not sent again on every run (it would fail the same way).
   */
  private void rejected(ContactPlan plan, Optional<ContactSnapshot> previous, String reason, RunCounters run) {
    quarantine(CONTACT, Long.toString(plan.contactKey()), reason, run);
    if (plan.next() == null || plan.deleteProfile()) {
      return;
    }
    String marker = Planner.REJECTED + plan.next().fingerprint();
    ContactSnapshot next = previous
        .map(p -> p.next(marker, p.attributes(), p.consents(), p.matched(), p.profileCreated(), clock.instant()))
        .orElseGet(() -> new ContactSnapshot(plan.contactKey(), 1, marker, Map.of(), Map.of(), true, false,
            clock.instant()));
    store.saveSnapshot(next);
  }

  /** The snapshot without its "refused before" mark, so the contact is sent again. */
  private static ContactSnapshot forgetRejection(ContactSnapshot s) {
    if (!s.fingerprint().startsWith(Planner.REJECTED)) {
      return s;
    }
    return new ContactSnapshot(s.contactKey(), s.version(), "retry", s.attributes(), s.consents(), s.matched(),
        s.profileCreated(), s.updatedAt());
  }

  private boolean commit(ContactPlan plan, Optional<ContactSnapshot> previous) {
    ContactPlan.SnapshotContent n = plan.next();
    ContactSnapshot next = previous
        .map(p -> p.next(n.fingerprint(), n.attributes(), n.consents(), n.matched(), n.profileCreated(), clock.instant()))
        .orElseGet(() -> new ContactSnapshot(plan.contactKey(), 1, n.fingerprint(), n.attributes(), n.consents(),
            n.matched(), n.profileCreated(), clock.instant()));
    return store.saveSnapshot(next);
  }

  private void count(ContactPlan plan, RunCounters run) {
    switch (plan.outcome()) {
      case CREATE:
        run.created.incrementAndGet();
        break;
      case UPDATE:
        run.updated.incrementAndGet();
        break;
      case UNCHANGED:
        run.unchanged.incrementAndGet();
        break;
      case FILTERED_OUT:
      case STOPPED_MATCHING:
        run.filteredOut.incrementAndGet();
        break;
      case STILL_REJECTED:
        run.stillRejected.incrementAndGet();
        break;
      default:
        break;
    }
    if (plan.deleteProfile()) {
      run.deleted.incrementAndGet();
    }
    run.consentChanges.addAndGet(plan.consentChanges());
  }

  private void deleted(long contactKey, RunCounters run) {
    ReentrantLock lock = locks[Math.floorMod(Long.hashCode(contactKey), locks.length)];
    lock.lock();
    try {
      Optional<ContactSnapshot> previous = store.snapshot(contactKey);
      if (previous.isEmpty() || deletedContact == DeletedContactPolicy.IGNORE) {
        return;
      }
      StopMatchingPolicy policy = deletedContact == DeletedContactPolicy.DELETE_PROFILE
          ? StopMatchingPolicy.DELETE_PROFILE : StopMatchingPolicy.OPT_OUT;
      ContactPlan plan = planner.stop(contactKey, previous.get(), policy, "Contact deleted in Efficy",
          ContactPlan.Outcome.DELETED);
      apply(plan, previous, run);
    } finally {
      lock.unlock();
    }
  }

  void quarantine(String kind, String id, String reason, RunCounters run) {
    quarantine(kind, id, reason, null, run);
  }

  /** Quarantines with the payload needed to retry the record later (see {@link StateStore}). */
  void quarantine(String kind, String id, String reason, String payload, RunCounters run) {
    store.quarantine(kind, id, reason, clock.instant(), payload);
    run.quarantined.add(new io.crmsync.sync.state.QuarantinedRecord(kind, id, reason, clock.instant(), 1));
    LOG.debug("quarantined {} {}: {}", kind, id, reason);
    listener(l -> l.quarantined(kind, id, reason));
  }

  // ---------------------------------------------------------------------------------------------
  // Stored queries as tags

  /**
   * Syncs each configured stored query as a tag: members gain it, leavers lose it. Only contacts
   * whose profile the engine created are tagged; the membership is stored after APSIS confirmed.
   * Takes the {@code syncQueries} lease.
   */
  public SyncReport syncQueries() {
    return leased(QUERIES, () -> {
      RunCounters run = start(QUERIES, false);
      for (QueryTagMapping q : queries) {
        Dataset rows = efficy.queryRows(q.queryKey(), List.of(), 0);
        Set<Long> now = new HashSet<>();
        for (Row row : rows.rows()) {
          row.longValue(q.keyField()).ifPresent(now::add);
        }
        Set<Long> before = store.queryMembers(q.queryKey());
        Map<Long, ContactSnapshot> snapshots = store.snapshots(now);
        Set<Long> added = new HashSet<>();
        Set<Long> removed = new HashSet<>();
        for (long key : now) {
          run.seen.incrementAndGet();
          ContactSnapshot s = snapshots.get(key);
          if (before.contains(key) || s == null || !s.profileCreated()) {
            continue;
          }
          tag(key, q.tag(), true, run);
          added.add(key);
        }
        for (long key : before) {
          if (!now.contains(key)) {
            tag(key, q.tag(), false, run);
            removed.add(key);
          }
        }
        store.updateQueryMembers(q.queryKey(), added, removed);
        renew(QUERIES);
      }
      return finish(run);
    });
  }

  private void tag(long contactKey, String tag, boolean on, RunCounters run) {
    try {
      apsis.profiles().patchTags(new ProfileKey(keyspace, Long.toString(contactKey)), section, Map.of(tag, on));
      run.tagChanges.incrementAndGet();
    } catch (io.crmsync.apsis.error.ApsisNotFoundException e) {
      // The profile is gone: nothing to tag or untag.
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reverse: responses and tasks

  /**
   * Brings APSIS email events (sent, delivered, opened, clicked, bounced, unsubscribed) into
   * Efficy, window by window from the cursor kept in the store: each event at most once, as a
   * history record and/or contact field updates per the {@link io.crmsync.sync.reverse.ResponseMapping};
   * an unsubscribe also unticks the mapped consent in Efficy. Events are matched to contacts by the
   * CRM id column of the export, else by address; an event matching no contact or several is
   * quarantined. The first run starts the configured look-back ago (default 1 day). Takes the
   * {@code reverseSync} lease.
   *
   * @throws JobAlreadyRunningException when another instance runs it
   */
  public SyncReport reverseSync() {
    return reverse.run(false);
  }

  /**
   * Reverse sync as {@link #reverseSync()}, which also retries, at the start of each run, the
   * quarantined events (no contact, several contacts, a record Efficy refused) that failed fewer
   * than 5 times, even though the export window they came from has passed. With
   * {@code retryQuarantined} every quarantined event is retried, however often it failed.
   *
   * @throws JobAlreadyRunningException when another instance runs it
   */
  public SyncReport reverseSync(boolean retryQuarantined) {
    return reverse.run(retryQuarantined);
  }

  /**
   * Handles an APSIS Marketing Automation webhook call that asks for an Efficy task: checks the
   * shared secret, parses the payload, dedupes by delivery id, resolves the contact and the
   * assignee, and creates the task. The result tells the host which HTTP status to answer; nothing
   * is written unless the result is {@code CREATED}.
   *
   * @param body the raw request body
   * @param headers the request headers (names in any case)
   * @throws IllegalStateException when no task webhook is configured
   */
  public io.crmsync.sync.reverse.TaskWebhookResult handleTaskWebhook(byte[] body, Map<String, List<String>> headers) {
    if (tasks == null) {
      throw new IllegalStateException("no task webhook is configured; set SyncEngine.builder().taskWebhook(...)");
    }
    return tasks.handle(body, headers);
  }

  /** Reads one contact with the engine's fields (for reverse sync). */
  Optional<ContactData> readContact(long key) {
    return reader.one(key);
  }

  // ---------------------------------------------------------------------------------------------
  // Setup validation

  /**
   * Checks both accounts and the configuration, and reports every problem at once: Efficy
   * credentials and version, that every Efficy field the engine reads exists, APSIS credentials,
   * that the section, keyspace, mapped attributes, consent topics and channels, and tags exist.
   */
  public SetupReport validateSetup() {
    return new SetupValidator(this, mapping, consentPolicy, queries, reader.fields(), responseMapping, taskWebhook)
        .validate();
  }

  // ---------------------------------------------------------------------------------------------
  // Runs, leases, listener

  RunCounters start(String job, boolean dryRun) {
    listener(l -> l.runStarted(job));
    return new RunCounters(job, clock.instant(), dryRun);
  }

  SyncReport finish(RunCounters run) {
    SyncReport report = run.report(clock);
    LOG.info("{}", report);
    listener(l -> l.runFinished(report));
    return report;
  }

  <T> T leased(String job, Supplier<T> work) {
    if (!store.tryLease(job, instanceId, clock.instant(), leaseTtl)) {
      throw new JobAlreadyRunningException(job);
    }
    try {
      return work.get();
    } finally {
      store.releaseLease(job, instanceId);
    }
  }

  void renew(String job) {
    if (!store.tryLease(job, instanceId, clock.instant(), leaseTtl)) {
      throw new JobAlreadyRunningException(job);
    }
  }

  void listener(java.util.function.Consumer<SyncListener> event) {
    try {
      event.accept(listener);
    } catch (RuntimeException e) {
      LOG.warn("SyncListener threw {}; ignored", e.getClass().getName());
    }
  }

  /** Stops the writer threads. The clients and the store are the caller's to close. */
  @Override
  public void close() {
    workers.shutdownNow();
  }

  @Override
  public String toString() {
    return "SyncEngine{section=" + section + ", keyspace=" + keyspace + ", mapping=" + mapping.version()
        + ", instance=" + instanceId + "}";
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Builds a {@link SyncEngine}. Required: {@link #efficy}, {@link #apsis}, {@link #section}.
   * Defaults: keyspace {@code com.apsis1.keyspaces.crm-id}, {@link MappingProvider#defaults()},
   * {@link ConsentPolicy#none()}, {@link SyncCondition#always()}, {@link StopMatchingPolicy#LEAVE},
   * {@link DeletedContactPolicy#OPT_OUT}, an in-memory store (use a {@code JdbcStateStore} to keep
   * state across restarts), 8 writer threads, consent source "crmsync", leases of 5 minutes,
   * poll pages of 500, the UTC clock, no stored queries.
   */
  public static final class Builder {
    private EfficyClient efficy;
    private ApsisClient apsis;
    private String section;
    private String keyspace = "com.apsis1.keyspaces.crm-id";
    private MappingProvider mapping = MappingProvider.defaults();
    private ConsentPolicy consentPolicy = ConsentPolicy.none();
    private SyncCondition condition = SyncCondition.always();
    private StopMatchingPolicy stopMatching = StopMatchingPolicy.LEAVE;
    private DeletedContactPolicy deletedContact = DeletedContactPolicy.OPT_OUT;
    private StateStore store;
    private SyncListener listener = SyncListener.NONE;
    private Clock clock = Clock.systemUTC();
    private int concurrency = 8;
    private String consentSource = "crmsync";
    private final List<QueryTagMapping> queries = new ArrayList<>();
    private String instanceId = "crmsync-" + UUID.randomUUID();
    private Duration leaseTtl = Duration.ofMinutes(5);
    private int pollPageSize = 500;
    private Duration clockSkew = Duration.ofMinutes(5);
    private java.time.ZoneId efficyTimeZone = java.time.ZoneOffset.UTC;
    private io.crmsync.sync.reverse.ResponseMapping responseMapping = io.crmsync.sync.reverse.ResponseMapping.defaults();
    private Duration reverseWindow = Duration.ofDays(1);
    private Duration reverseLookback = Duration.ofDays(1);
    private String exportKeyAttribute = "com.apsis1.attributes.crmid";
    private io.crmsync.sync.reverse.TaskWebhookConfig taskWebhook;

    private Builder() {}

    /** What reverse sync writes per event type; default {@link io.crmsync.sync.reverse.ResponseMapping#defaults()}. */
    public Builder responseMapping(io.crmsync.sync.reverse.ResponseMapping mapping) {
      this.responseMapping = Objects.requireNonNull(mapping, "responseMapping");
      return this;
    }

    /**
     * Reverse sync's export windows and where its first run starts; defaults one day each. APSIS
     * allows one export request a minute, so larger windows catch up faster.
     */
    public Builder reverseWindows(Duration window, Duration firstLookback) {
      if (window == null || window.isNegative() || window.isZero() || firstLookback == null || firstLookback.isNegative()) {
        throw new IllegalArgumentException("reverse sync window must be positive and the look-back not negative");
      }
      this.reverseWindow = window;
      this.reverseLookback = firstLookback;
      return this;
    }

    /**
     * The attribute added to the event export to match events to contacts by CRM id; default
     * {@code com.apsis1.attributes.crmid}; null matches by address only.
     */
    public Builder exportKeyAttribute(String attribute) {
      this.exportKeyAttribute = attribute;
      return this;
    }

    /** Enables {@link SyncEngine#handleTaskWebhook}. */
    public Builder taskWebhook(io.crmsync.sync.reverse.TaskWebhookConfig config) {
      this.taskWebhook = Objects.requireNonNull(config, "taskWebhook");
      return this;
    }

    /** The Efficy client. */
    public Builder efficy(EfficyClient client) {
      this.efficy = Objects.requireNonNull(client, "efficy");
      return this;
    }

    /** The APSIS client. */
    public Builder apsis(ApsisClient client) {
      this.apsis = Objects.requireNonNull(client, "apsis");
      return this;
    }

    /** The APSIS section discriminator. */
    public Builder section(String section) {
      this.section = nonBlank("section", section);
      return this;
    }

    /** The keyspace of the profile keys; default {@code com.apsis1.keyspaces.crm-id}. */
    public Builder keyspace(String keyspace) {
      this.keyspace = nonBlank("keyspace", keyspace);
      return this;
    }

    /** The field mapping. */
    public Builder mapping(MappingProvider mapping) {
      this.mapping = Objects.requireNonNull(mapping, "mapping");
      return this;
    }

    /** The consent policy. */
    public Builder consentPolicy(ConsentPolicy policy) {
      this.consentPolicy = Objects.requireNonNull(policy, "consentPolicy");
      return this;
    }

    /** Which contacts to sync. */
    public Builder condition(SyncCondition condition) {
      this.condition = Objects.requireNonNull(condition, "condition");
      return this;
    }

    /** What to do with a contact that stops matching; default LEAVE. */
    public Builder stopMatching(StopMatchingPolicy policy) {
      this.stopMatching = Objects.requireNonNull(policy, "stopMatching");
      return this;
    }

    /** What an Efficy delete does; default OPT_OUT. */
    public Builder deletedContact(DeletedContactPolicy policy) {
      this.deletedContact = Objects.requireNonNull(policy, "deletedContact");
      return this;
    }

    /** The state store; default in memory. */
    public Builder stateStore(StateStore store) {
      this.store = Objects.requireNonNull(store, "stateStore");
      return this;
    }

    /** Progress events. */
    public Builder listener(SyncListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Threads writing to APSIS at once; default 8. */
    public Builder concurrency(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("concurrency must be 1..64, was " + threads);
      }
      this.concurrency = threads;
      return this;
    }

    /** The consent {@code source} APSIS records; default "crmsync". */
    public Builder consentSource(String source) {
      this.consentSource = nonBlank("consentSource", source);
      return this;
    }

    /** Adds a stored query synced as a tag. */
    public Builder query(QueryTagMapping query) {
      this.queries.add(Objects.requireNonNull(query, "query"));
      return this;
    }

    /** This instance's name in leases; default a random one. */
    public Builder instanceId(String id) {
      this.instanceId = nonBlank("instanceId", id);
      return this;
    }

    /** How long a lease lasts without renewal; default 5 minutes. */
    public Builder leaseTtl(Duration ttl) {
      if (ttl == null || ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("leaseTtl must be positive");
      }
      this.leaseTtl = ttl;
      return this;
    }

    /**
     * How far the engine's clock may be ahead of Efficy's; default 5 minutes. A completed full sync
     * leaves the poll cursor at its start time less this, so the first poll after it reads only
     * what changed since (and a little before), not every contact again.
     */
    public Builder clockSkew(Duration skew) {
      if (skew == null || skew.isNegative()) {
        throw new IllegalArgumentException("clockSkew must be zero or positive");
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * The time zone of Efficy's {@code D_CHANGE} values; default UTC. The notes say Efficy has a
     * database time zone ({@code currentdatabasetimezone}) but not which one D_CHANGE uses, hence
     * the setting. Used to turn the full sync's start time into a poll cursor.
     */
    public Builder efficyTimeZone(java.time.ZoneId zone) {
      this.efficyTimeZone = Objects.requireNonNull(zone, "efficyTimeZone");
      return this;
    }

    /** Contacts per page when polling changes; default 500. */
    public Builder pollPageSize(int size) {
      if (size < 1 || size > 10_000) {
        throw new IllegalArgumentException("pollPageSize must be 1..10000, was " + size);
      }
      this.pollPageSize = size;
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws IllegalStateException naming what is missing
     */
    public SyncEngine build() {
      if (efficy == null) {
        throw new IllegalStateException("SyncEngine needs an efficy client");
      }
      if (apsis == null) {
        throw new IllegalStateException("SyncEngine needs an apsis client");
      }
      if (section == null) {
        throw new IllegalStateException("SyncEngine needs an APSIS section");
      }
      if (store == null) {
        store = StateStore.inMemory();
      }
      return new SyncEngine(this);
    }

    private static String nonBlank(String name, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}

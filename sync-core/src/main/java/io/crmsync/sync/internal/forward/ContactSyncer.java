package io.crmsync.sync.internal.forward;

import io.crmsync.client.CrmsyncException;
import io.crmsync.sync.CircuitOpenException;
import io.crmsync.sync.ContactData;
import io.crmsync.sync.DeletedContactPolicy;
import io.crmsync.sync.JobAlreadyRunningException;
import io.crmsync.sync.RunStoppedException;
import io.crmsync.sync.StopMatchingPolicy;
import io.crmsync.sync.WritesRefusedException;
import io.crmsync.sync.internal.Policies;
import io.crmsync.sync.internal.ProfileTarget;
import io.crmsync.sync.internal.RunSettings;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.internal.plan.ConsentStep;
import io.crmsync.sync.internal.plan.ContactPlan;
import io.crmsync.sync.internal.plan.Planner;
import io.crmsync.sync.internal.plan.Unknown;
import io.crmsync.sync.internal.run.JobRunner;
import io.crmsync.sync.internal.run.RunCounters;
import io.crmsync.sync.state.ContactSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * Syncs contacts one by one: plans each against its snapshot, writes the plan to APSIS, and
 * commits the new snapshot only once APSIS confirmed it, re-planning when another writer saved
 * the contact first. Writes for one contact never overlap (a lock per contact key); a page's
 * contacts run on the engine's writer threads. Internal.
 */
public final class ContactSyncer {

    /**
     * Refusals of one kind of write (a consent, an attribute patch, a create) with none of that kind
     * accepted, after which a run stops: the configuration is wrong for every contact (a consent
     * channel APSIS does not know, say), and writing on would only quarantine every contact.
     */
    static final int REFUSALS_TO_STOP = 50;

    /** The quarantine kind of contacts. */
    public static final String CONTACT = "contact";
    /** The payload of a contact parked after a passing failure: later runs try it again. */
    static final String PARKED = "parked";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContactSyncer.class);

    private final Services services;
    private final ProfileTarget target;
    private final Policies policies;
    private final RunSettings runs;
    private final JobRunner jobs;
    private final Planner planner;
    private final ProfileWriter writer;
    private final ReentrantLock[] locks = new ReentrantLock[1024];

    private final LongFunction<Optional<ContactData>> reread;

    /**
     * @param reread reads a contact afresh from Efficy, when another writer saved it first
     */
    public ContactSyncer(
            Services services,
            ProfileTarget target,
            Policies policies,
            RunSettings runs,
            JobRunner jobs,
            Planner planner,
            LongFunction<Optional<ContactData>> reread) {
        this.services = services;
        this.target = target;
        this.policies = policies;
        this.runs = runs;
        this.jobs = jobs;
        this.planner = planner;
        this.reread = reread;
        this.writer = new ProfileWriter(services.apsis(), target.section(), target.keyspace(), target.consentSource());
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The planner, for paths that plan a batch before writing it (imports, dry runs). */
    Planner planner() {
        return planner;
    }

    /**
     * Plans and writes the contacts of a page in parallel (one contact per task), then waits. A
     * contact that fails with a passing error (after the client's retries) is parked: quarantined
     * with its snapshot left as it was, so later runs try it again, while the page goes on. A failure
     * of the whole system ends the page and the run: an error that is not passing (credentials, a
     * lost lease), or {@code circuitBreakerThreshold} contacts failing in a row
     * ({@link io.crmsync.sync.CircuitOpenException}); nothing is lost since the page is not
     * checkpointed.
     */
    public void processPage(List<ContactData> contacts, RunCounters run, boolean retryRejected) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Future<?>> tasks = new ArrayList<>(contacts.size());
        for (ContactData c : contacts) {
            run.seen.incrementAndGet();
            tasks.add(runs.workers().submit(() -> {
                if (failure.get() != null) {
                    return;
                }
                try {
                    process(c, run, retryRejected);
                    run.consecutiveFailures.set(0);
                } catch (RuntimeException e) {
                    parkOrStop(c.key(), e, run).ifPresent(stop -> failure.compareAndSet(null, stop));
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

    /** Whether a failure is one contact's passing trouble rather than the whole system's. */
    static boolean parkable(RuntimeException e) {
        return e instanceof CrmsyncException ce
                && ce.isRetryable()
                && !(e instanceof RunStoppedException)
                && !(e instanceof JobAlreadyRunningException)
                && !(e instanceof CircuitOpenException);
    }

    /**
     * Handles a contact's failure: parks it when the error is passing, and says whether the run must
     * stop: with the error itself when it is not passing, or with a {@link io.crmsync.sync.CircuitOpenException}
     * once {@code circuitBreakerThreshold} contacts in a row failed.
     */
    Optional<RuntimeException> parkOrStop(long contactKey, RuntimeException e, RunCounters run) {
        if (!parkable(e)) {
            return Optional.of(e);
        }
        park(contactKey, e, run);
        int inARow = run.consecutiveFailures.incrementAndGet();
        return inARow >= runs.circuitBreakerThreshold()
                ? Optional.of(new CircuitOpenException(run.job.id(), inARow, e))
                : Optional.empty();
    }

    /** Parks a contact whose write failed with a passing error: later runs try it again. */
    private void park(long contactKey, RuntimeException e, RunCounters run) {
        LOG.debug("parked contact {} after {}", contactKey, e.getClass().getSimpleName());
        jobs.quarantine(
                CONTACT,
                Long.toString(contactKey),
                "parked after a passing failure (" + e.getClass().getSimpleName() + "): " + e.getMessage(),
                PARKED,
                run);
    }

    /**
     * Plans, writes and commits one contact. When another writer (another engine sharing the store)
     * saved the contact first, the contact is read afresh from Efficy and planned again against the
     * other writer's snapshot, except for what this one has already written to APSIS: whose write
     * landed last there is unknown (the other's may have read Efficy earlier and written later), so
     * the fresh values of those attributes and consents are sent again whatever the snapshot says.
     */
    public void process(ContactData contact, RunCounters run, boolean retryRejected) {
        ReentrantLock lock = locks[Math.floorMod(Long.hashCode(contact.key()), locks.length)];
        lock.lock();
        try {
            ContactData current = contact;
            Set<String> writtenAttributes = new HashSet<>();
            Set<String> writtenConsents = new HashSet<>();
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<ContactSnapshot> previous = services.store().snapshot(current.key());
                if (retryRejected) {
                    previous = previous.map(SnapshotEdits::forgetRejection);
                }
                ContactPlan plan = planner.plan(current, previous, new Unknown(writtenAttributes, writtenConsents));
                if (apply(plan, previous, run)) {
                    return;
                }
                if (plan.writes()) {
                    writtenAttributes.addAll(plan.attributes().keySet());
                    for (ConsentStep step : plan.beforePatch()) {
                        writtenConsents.add(step.slot());
                    }
                    for (ConsentStep step : plan.afterPatch()) {
                        writtenConsents.add(step.slot());
                    }
                }
                Optional<ContactData> fresh = reread.apply(current.key());
                if (fresh.isEmpty()) {
                    deleted(current.key(), run);
                    return;
                }
                current = fresh.get();
            }
            jobs.quarantine(
                    CONTACT, Long.toString(contact.key()), "snapshot kept changing under concurrent writers", run);
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
                jobs.quarantine(CONTACT, Long.toString(plan.contactKey()), plan.quarantineReason(), run);
            }
            return true;
        }
        if (plan.writes()) {
            run.fence.check(); // fenced: no APSIS write after the lease is lost or the engine closes
            ProfileWriter.Result result = writer.execute(plan);
            run.accepted(result.done());
            if (!result.ok()) {
                rejected(plan, previous, result.quarantineReason(), run);
                long allRefused = run.refused(result.refused());
                if (allRefused >= REFUSALS_TO_STOP) {
                    throw new WritesRefusedException(
                            run.job.id(), result.refused(), allRefused, result.quarantineReason());
                }
                return true;
            }
        }
        if (plan.next() != null && !commit(plan, previous)) {
            return false;
        }
        count(plan, run);
        if (plan.writes()) {
            services.store().release(CONTACT, Long.toString(plan.contactKey()));
        }
        return true;
    }

    /**
     * Quarantines a contact APSIS refused and remembers the refused content's fingerprint, so an
     * unchanged contact is not sent again on every run (it would fail the same way).
     */
    void rejected(ContactPlan plan, Optional<ContactSnapshot> previous, String reason, RunCounters run) {
        if (plan.next() == null || plan.deleteProfile()) {
            jobs.quarantine(CONTACT, Long.toString(plan.contactKey()), reason, run);
            return;
        }
        rejected(plan.contactKey(), plan.next().fingerprint(), previous, reason, run);
    }

    /**
     * Quarantines a contact APSIS refused and marks its snapshot "refused at this content"
     * ({@code nextFingerprint}), so that it is not sent again until it changes.
     */
    void rejected(
            long contactKey,
            String nextFingerprint,
            Optional<ContactSnapshot> previous,
            String reason,
            RunCounters run) {
        jobs.quarantine(CONTACT, Long.toString(contactKey), reason, run);
        String marker = Planner.REJECTED + nextFingerprint;
        ContactSnapshot next = previous.map(p -> p.next(
                        marker,
                        p.attributes(),
                        p.consents(),
                        p.matched(),
                        p.profileCreated(),
                        services.clock().instant()))
                .orElseGet(() -> new ContactSnapshot(
                        contactKey,
                        1,
                        marker,
                        Map.of(),
                        Map.of(),
                        true,
                        false,
                        services.clock().instant()));
        services.store().saveSnapshot(next);
    }

    boolean commit(ContactPlan plan, Optional<ContactSnapshot> previous) {
        return services.store().saveSnapshot(nextSnapshot(plan, previous));
    }

    /** The snapshot a plan commits over {@code previous} (the next version, or version 1). */
    ContactSnapshot nextSnapshot(ContactPlan plan, Optional<ContactSnapshot> previous) {
        ContactPlan.SnapshotContent n = plan.next();
        return previous.map(p -> p.next(
                        n.fingerprint(),
                        n.attributes(),
                        n.consents(),
                        n.matched(),
                        n.profileCreated(),
                        services.clock().instant()))
                .orElseGet(() -> new ContactSnapshot(
                        plan.contactKey(),
                        1,
                        n.fingerprint(),
                        n.attributes(),
                        n.consents(),
                        n.matched(),
                        n.profileCreated(),
                        services.clock().instant()));
    }

    public void count(ContactPlan plan, RunCounters run) {
        count(plan.outcome(), plan.deleteProfile(), plan.consentChanges(), run);
    }

    /** Counts a contact's outcome in the run's report. */
    void count(ContactPlan.Outcome outcome, boolean deleteProfile, int consentChanges, RunCounters run) {
        switch (outcome) {
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
        if (deleteProfile) {
            run.deleted.incrementAndGet();
        }
        run.consentChanges.addAndGet(consentChanges);
    }

    public void deleted(long contactKey, RunCounters run) {
        ReentrantLock lock = locks[Math.floorMod(Long.hashCode(contactKey), locks.length)];
        lock.lock();
        try {
            Optional<ContactSnapshot> previous = services.store().snapshot(contactKey);
            if (previous.isEmpty() || policies.deletedContact() == DeletedContactPolicy.IGNORE) {
                return;
            }
            StopMatchingPolicy policy = policies.deletedContact() == DeletedContactPolicy.DELETE_PROFILE
                    ? StopMatchingPolicy.DELETE_PROFILE
                    : StopMatchingPolicy.OPT_OUT;
            ContactPlan plan = planner.stop(
                    contactKey, previous.get(), policy, "Contact deleted in Efficy", ContactPlan.Outcome.DELETED);
            apply(plan, previous, run);
        } finally {
            lock.unlock();
        }
    }
}

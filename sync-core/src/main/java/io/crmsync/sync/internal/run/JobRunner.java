package io.crmsync.sync.internal.run;

import io.crmsync.sync.Job;
import io.crmsync.sync.JobAlreadyRunningException;
import io.crmsync.sync.RunStoppedException;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.SyncProgress;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.internal.RunSettings;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.state.QuarantinedRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine's jobs: the run's counters, its paired listener events (started, then finished
 * or failed with the partial report), and for exclusive jobs the guards that let one run at a
 * time: a lock within this engine (leases count as free for their own holder, so two threads of
 * one engine would both get in) and the store's lease across instances.
 *
 * <p>A heartbeat thread renews every held lease each third of its time to live, whatever the run
 * is doing (a long import wait included). Each run carries a {@link Fence} that its writers check
 * before every write and checkpoint: a run whose lease could not be renewed, ran out, or whose
 * engine is closing stops there. Internal.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final Services services;
    private final RunSettings runs;
    private final Map<Job, ReentrantLock> guards = new ConcurrentHashMap<>();
    private final Object idle = new Object();
    private final Map<Job, Fence> leased = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private ScheduledExecutorService heartbeat;
    private int inFlight;

    public JobRunner(Services services, RunSettings runs) {
        this.services = services;
        this.runs = runs;
    }

    /**
     * Asks every run to stop at its next safe point (the fence fails from now on) and stops taking
     * new runs.
     */
    public void stopRuns() {
        closing = true;
    }

    /**
     * Gives back every lease this engine still holds (after {@link #stopRuns()} and the close
     * timeout) and stops the heartbeat. The runs' fences already fail, so none writes again.
     */
    public void releaseAll() {
        synchronized (this) {
            if (heartbeat != null) {
                heartbeat.shutdownNow();
                heartbeat = null;
            }
        }
        for (Map.Entry<Job, Fence> e : leased.entrySet()) {
            e.getValue().lose("the engine closed");
            release(e.getKey());
        }
    }

    private void release(Job job) {
        if (leased.remove(job) != null) {
            try {
                services.store().releaseLease(job.id(), runs.instanceId());
            } catch (RuntimeException e) {
                LOG.warn(
                        "could not give back the {} lease ({}); it runs out on its own",
                        job.id(),
                        e.getClass().getSimpleName());
            }
            stopHeartbeatWhenIdle();
        }
    }

    /** Ends the heartbeat thread once no lease is held; the next leased run starts it again. */
    private synchronized void stopHeartbeatWhenIdle() {
        if (leased.isEmpty() && heartbeat != null) {
            heartbeat.shutdownNow();
            heartbeat = null;
        }
    }

    private synchronized void startHeartbeat() {
        if (heartbeat == null) {
            heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "crmsync-lease-heartbeat");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(10, runs.leaseTtl().toMillis() / 3);
            heartbeat.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** One heartbeat: renews each held lease; a refusal or an outage past the lease's end fences the run. */
    void renewAll() {
        for (Map.Entry<Job, Fence> e : leased.entrySet()) {
            Fence fence = e.getValue();
            if (!fence.holds()) {
                continue;
            }
            Instant now = services.clock().instant();
            try {
                if (services.store().tryLease(e.getKey().id(), runs.instanceId(), now, runs.leaseTtl())) {
                    fence.renewed(now);
                } else {
                    fence.lose("another instance took its lease");
                    LOG.warn(
                            "the {} lease was taken by another instance; the run stops before its next write",
                            e.getKey().id());
                }
            } catch (RuntimeException ex) {
                LOG.warn(
                        "could not renew the {} lease ({}); retrying until it runs out at {}",
                        e.getKey().id(),
                        ex.getClass().getSimpleName(),
                        fence.validUntil());
            }
        }
    }

    /**
     * Runs a job. An exclusive job first takes its in-process guard and its lease, and gives both
     * back however it ends. A job that could not take them did not start: no event is sent.
     *
     * @throws JobAlreadyRunningException when an exclusive job runs already, here or elsewhere
     */
    public SyncReport run(Job job, boolean dryRun, Consumer<RunCounters> work) {
        if (closing) {
            throw new RunStoppedException(job.id(), "the engine is closing");
        }
        ReentrantLock guard = job.exclusive() ? guards.computeIfAbsent(job, j -> new ReentrantLock()) : null;
        if (guard != null && !guard.tryLock()) {
            throw new JobAlreadyRunningException(job.id()); // not started: no event
        }
        RunCounters run;
        try {
            Fence fence;
            if (guard != null) {
                Instant now = services.clock().instant();
                if (!services.store().tryLease(job.id(), runs.instanceId(), now, runs.leaseTtl())) {
                    throw new JobAlreadyRunningException(job.id());
                }
                fence = new Fence(job.id(), services.clock(), runs.leaseTtl(), () -> closing);
                fence.confirmWith(at -> services.store().tryLease(job.id(), runs.instanceId(), at, runs.leaseTtl()));
                leased.put(job, fence);
                startHeartbeat();
            } else {
                fence = Fence.unleased(job.id(), services.clock(), () -> closing);
            }
            run = new RunCounters(job, services.clock().instant(), dryRun, fence);
        } catch (RuntimeException e) {
            if (guard != null) {
                guard.unlock();
            }
            throw e;
        }
        synchronized (idle) {
            inFlight++;
        }
        try {
            listener(l -> l.runStarted(job));
            try {
                work.accept(run);
            } catch (RuntimeException | Error e) {
                SyncReport partial = run.report(services.clock());
                listener(l -> l.runFailed(job, partial, e));
                throw e;
            } finally {
                if (guard != null) {
                    release(job);
                    guard.unlock();
                }
            }
            SyncReport report = run.report(services.clock());
            LOG.info("{}", report);
            listener(l -> l.runFinished(report));
            return report;
        } finally {
            synchronized (idle) { // after the last event, so close() returns only once the run is over
                inFlight--;
                idle.notifyAll();
            }
        }
    }

    /**
     * Waits until no run is in flight, or {@code timeout} has passed.
     *
     * @return whether the engine is idle
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Reports progress of a run. */
    public void progress(RunCounters run) {
        SyncProgress p = new SyncProgress(
                run.job,
                run.startedAt,
                run.seen.get(),
                run.created.get() + run.updated.get() + run.deleted.get() + run.written.get(),
                run.quarantined.size(),
                run.expected < 0 ? OptionalLong.empty() : OptionalLong.of(run.expected));
        listener(l -> l.progress(p));
    }

    /** Quarantines a record that needs nothing more to be tried again (it is read afresh). */
    public void quarantine(String kind, String id, String reason, RunCounters run) {
        quarantine(kind, id, reason, null, run);
    }

    /** Quarantines a record with the payload needed to try it again later. */
    public void quarantine(String kind, String id, String reason, String payload, RunCounters run) {
        services.store().quarantine(kind, id, reason, services.clock().instant(), payload);
        run.quarantined.add(
                new QuarantinedRecord(kind, id, reason, services.clock().instant(), 1));
        LOG.debug("quarantined {} {}: {}", kind, id, reason);
        listener(l -> l.quarantined(kind, id, reason));
    }

    /** Passes an event to the listener; a listener that throws is logged and ignored. */
    public void listener(Consumer<SyncListener> event) {
        try {
            event.accept(runs.listener());
        } catch (RuntimeException e) {
            LOG.warn("SyncListener threw {}; ignored", e.getClass().getName());
        }
    }
}

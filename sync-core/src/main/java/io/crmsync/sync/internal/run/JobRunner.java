package io.crmsync.sync.internal.run;

import io.crmsync.sync.Job;
import io.crmsync.sync.JobAlreadyRunningException;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.internal.EngineContext;
import io.crmsync.sync.state.QuarantinedRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine's jobs: the run's counters, its paired listener events (started, then finished
 * or failed with the partial report), and for exclusive jobs the guards that let one run at a
 * time: a lock within this engine (leases count as free for their own holder, so two threads of
 * one engine would both get in) and the store's lease across instances. Internal.
 */
public final class JobRunner {

  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final EngineContext ctx;
  private final Map<Job, ReentrantLock> guards = new ConcurrentHashMap<>();
  private final Object idle = new Object();
  private int inFlight;

  public JobRunner(EngineContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Runs a job. An exclusive job first takes its in-process guard and its lease, and gives both
   * back however it ends. A job that could not take them did not start: no event is sent.
   *
   * @throws JobAlreadyRunningException when an exclusive job runs already, here or elsewhere
   */
  public SyncReport run(Job job, boolean dryRun, Consumer<RunCounters> work) {
    ReentrantLock guard = job.exclusive() ? guards.computeIfAbsent(job, j -> new ReentrantLock()) : null;
    boolean leased = false;
    if (guard != null && !guard.tryLock()) {
      throw new JobAlreadyRunningException(job.id()); // not started: no event
    }
    RunCounters run;
    try {
      if (guard != null) {
        if (!ctx.store().tryLease(job.id(), ctx.instanceId(), ctx.clock().instant(), ctx.leaseTtl())) {
          throw new JobAlreadyRunningException(job.id());
        }
        leased = true;
      }
      run = new RunCounters(job, ctx.clock().instant(), dryRun);
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
        SyncReport partial = run.report(ctx.clock());
        listener(l -> l.runFailed(job, partial, e));
        throw e;
      } finally {
        if (leased) {
          ctx.store().releaseLease(job.id(), ctx.instanceId());
        }
        if (guard != null) {
          guard.unlock();
        }
      }
      SyncReport report = run.report(ctx.clock());
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
  public boolean awaitIdle(java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(idle, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Renews the lease of a running exclusive job.
   *
   * @throws JobAlreadyRunningException when another instance took it meanwhile
   */
  public void renew(Job job) {
    if (!ctx.store().tryLease(job.id(), ctx.instanceId(), ctx.clock().instant(), ctx.leaseTtl())) {
      throw new JobAlreadyRunningException(job.id());
    }
  }

  /** Reports progress of a run. */
  public void progress(RunCounters run) {
    long seen = run.seen.get();
    listener(l -> l.progress(run.job, seen));
  }

  /** Quarantines a record that needs nothing more to be tried again (it is read afresh). */
  public void quarantine(String kind, String id, String reason, RunCounters run) {
    quarantine(kind, id, reason, null, run);
  }

  /** Quarantines a record with the payload needed to try it again later. */
  public void quarantine(String kind, String id, String reason, String payload, RunCounters run) {
    ctx.store().quarantine(kind, id, reason, ctx.clock().instant(), payload);
    run.quarantined.add(new QuarantinedRecord(kind, id, reason, ctx.clock().instant(), 1));
    LOG.debug("quarantined {} {}: {}", kind, id, reason);
    listener(l -> l.quarantined(kind, id, reason));
  }

  /** Passes an event to the listener; a listener that throws is logged and ignored. */
  public void listener(Consumer<SyncListener> event) {
    try {
      event.accept(ctx.listener());
    } catch (RuntimeException e) {
      LOG.warn("SyncListener threw {}; ignored", e.getClass().getName());
    }
  }
}

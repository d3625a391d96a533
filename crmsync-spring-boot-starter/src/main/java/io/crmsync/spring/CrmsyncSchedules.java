package io.crmsync.spring;

import io.crmsync.sync.JobAlreadyRunningException;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The scheduled poll and reverse sync of {@code crmsync.schedule.*}, started and stopped with the
 * application context. A run another instance holds is skipped; a failed run is logged and tried
 * again at the next tick (its state is kept).
 */
public final class CrmsyncSchedules implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(CrmsyncSchedules.class);

  private final SyncEngine engine;
  private final Duration poll;
  private final Duration reverse;
  private ScheduledExecutorService executor;

  /** Schedules for {@code engine}; a null interval leaves that job unscheduled. */
  public CrmsyncSchedules(SyncEngine engine, Duration poll, Duration reverse) {
    this.engine = engine;
    this.poll = poll;
    this.reverse = reverse;
  }

  @Override
  public synchronized void start() {
    executor = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "crmsync-schedule");
      t.setDaemon(true);
      return t;
    });
    schedule("poll", poll, engine::pollChanges);
    schedule("reverse sync", reverse, engine::reverseSync);
  }

  private void schedule(String name, Duration every, Supplier<SyncReport> job) {
    if (every == null || every.isZero() || every.isNegative()) {
      return;
    }
    executor.scheduleWithFixedDelay(() -> {
      try {
        job.get();
      } catch (JobAlreadyRunningException e) {
        LOG.info("{} skipped: {}", name, e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("{} failed: {}", name, e.getMessage());
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }
}

package io.crmsync.sync;

import io.crmsync.sync.state.QuarantinedRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The counters of one run, shared by its worker threads. */
final class RunCounters {

  final String job;
  final Instant startedAt;
  final boolean dryRun;
  final AtomicLong seen = new AtomicLong();
  final AtomicLong created = new AtomicLong();
  final AtomicLong updated = new AtomicLong();
  final AtomicLong unchanged = new AtomicLong();
  final AtomicLong filteredOut = new AtomicLong();
  final AtomicLong deleted = new AtomicLong();
  final AtomicLong consentChanges = new AtomicLong();
  final AtomicLong tagChanges = new AtomicLong();
  final AtomicLong written = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong stillRejected = new AtomicLong();
  final List<QuarantinedRecord> quarantined = Collections.synchronizedList(new ArrayList<>());
  String resumedFrom = "";

  RunCounters(String job, Instant startedAt, boolean dryRun) {
    this.job = job;
    this.startedAt = startedAt;
    this.dryRun = dryRun;
  }

  SyncReport report(Clock clock) {
    List<QuarantinedRecord> q;
    synchronized (quarantined) {
      q = List.copyOf(quarantined);
    }
    return new SyncReport(job, startedAt, Duration.between(startedAt, clock.instant()), dryRun, seen.get(),
        created.get(), updated.get(), unchanged.get(), filteredOut.get(), deleted.get(), consentChanges.get(),
        tagChanges.get(), written.get(), duplicates.get(), q, stillRejected.get(), resumedFrom);
  }
}

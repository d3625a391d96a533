package io.crmsync.sync.internal.run;

import io.crmsync.sync.Job;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.state.QuarantinedRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The counters of one run, shared by its worker threads. Internal. */
public final class RunCounters {

    public final Job job;
    public final Instant startedAt;
    public final boolean dryRun;
    public final AtomicLong seen = new AtomicLong();
    public final AtomicLong created = new AtomicLong();
    public final AtomicLong updated = new AtomicLong();
    public final AtomicLong unchanged = new AtomicLong();
    public final AtomicLong filteredOut = new AtomicLong();
    public final AtomicLong deleted = new AtomicLong();
    public final AtomicLong consentChanges = new AtomicLong();
    public final AtomicLong tagChanges = new AtomicLong();
    public final AtomicLong written = new AtomicLong();
    public final AtomicLong duplicates = new AtomicLong();
    public final AtomicLong stillRejected = new AtomicLong();
    /** Contacts in a row that failed with a passing error: the circuit breaker's count. */
    public final AtomicInteger consecutiveFailures = new AtomicInteger();
    /** Per kind of APSIS write (create, consent, attributes, delete): how many were accepted. */
    private final Map<String, AtomicLong> accepted = new ConcurrentHashMap<>();
    /** Per kind of APSIS write: how many were refused. */
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();

    public final List<QuarantinedRecord> quarantined = Collections.synchronizedList(new ArrayList<>());
    public volatile String resumedFrom = "";
    /** How many the run expects to read in all, or -1 when it cannot know (see {@code SyncProgress}). */
    public volatile long expected = -1;
    /** Checked before every write and checkpoint of the run. */
    public final Fence fence;

    public RunCounters(Job job, Instant startedAt, boolean dryRun, Fence fence) {
        this.job = job;
        this.startedAt = startedAt;
        this.dryRun = dryRun;
        this.fence = fence;
    }

    /** Counts the kinds of write APSIS accepted for one contact. */
    public void accepted(Collection<String> kinds) {
        kinds.forEach(k -> accepted.computeIfAbsent(k, x -> new AtomicLong()).incrementAndGet());
    }

    /**
     * Counts a refused write; returns how many of its kind were refused when none of that kind was
     * accepted in this run (0 otherwise).
     */
    public long refused(String kind) {
        long count = refused.computeIfAbsent(kind, x -> new AtomicLong()).incrementAndGet();
        AtomicLong ok = accepted.get(kind);
        return ok == null || ok.get() == 0 ? count : 0;
    }

    /** The report of the run so far. */
    public SyncReport report(Clock clock) {
        List<QuarantinedRecord> q;
        synchronized (quarantined) {
            q = List.copyOf(quarantined);
        }
        return SyncReport.builder()
                .job(job.id())
                .startedAt(startedAt)
                .duration(Duration.between(startedAt, clock.instant()))
                .dryRun(dryRun)
                .seen(seen.get())
                .created(created.get())
                .updated(updated.get())
                .unchanged(unchanged.get())
                .filteredOut(filteredOut.get())
                .deleted(deleted.get())
                .consentChanges(consentChanges.get())
                .tagChanges(tagChanges.get())
                .written(written.get())
                .duplicates(duplicates.get())
                .quarantined(q)
                .stillRejected(stillRejected.get())
                .resumedFrom(resumedFrom)
                .build();
    }
}

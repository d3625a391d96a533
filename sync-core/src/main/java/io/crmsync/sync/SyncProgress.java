package io.crmsync.sync;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where a run stands, after each committed page: what it read, wrote and quarantined so far, and
 * how many it expects to read in all when it can know. Efficy gives no count of contacts, so a
 * full sync expects what the last complete full sync read ({@link #expected} is empty on a first
 * full sync, on a run resumed after a crash, and for other jobs): a progress line then shows a rate
 * but no ETA rather than a made-up one.
 *
 * @param job the job
 * @param startedAt when the run started
 * @param seen contacts (or events) read so far
 * @param written profiles created, updated or deleted so far (CRM records, for reverse sync)
 * @param quarantined records quarantined so far
 * @param expected how many the run should read in all, when known
 */
public record SyncProgress(
        Job job, Instant startedAt, long seen, long written, long quarantined, OptionalLong expected) {

    /** Checks the parts. */
    public SyncProgress {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(expected, "expected");
    }
}

package io.crmsync.sync;

import io.crmsync.sync.state.QuarantinedRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one run did. Counts are of contacts (or events, for reverse sync), not of API calls.
 *
 * @param job the run's kind: {@code syncContact}, {@code webhook}, {@code poll}, {@code fullSync},
 *     {@code syncQueries}, {@code reverseSync}
 * @param startedAt when it started
 * @param duration how long it took
 * @param dryRun whether nothing was written (the counts are what would have been done)
 * @param seen contacts (or events) read
 * @param created profiles created
 * @param updated profiles whose attributes changed
 * @param unchanged contacts skipped because nothing changed since the last sync
 * @param filteredOut contacts that do not match the sync condition
 * @param deleted profiles deleted
 * @param consentChanges opt-ins and opt-outs sent
 * @param tagChanges tags added or removed
 * @param written CRM records written (reverse sync: history records, field updates, unticks)
 * @param duplicates events skipped because they were already processed
 * @param quarantined records quarantined in this run, with reasons
 * @param stillRejected contacts not sent because APSIS refused the same content before (they are
 *     retried when they change, or with {@link FullSyncOptions#withRetryQuarantined})
 * @param resumedFrom the checkpoint a full sync resumed from, or empty
 */
public record SyncReport(
    String job,
    Instant startedAt,
    Duration duration,
    boolean dryRun,
    long seen,
    long created,
    long updated,
    long unchanged,
    long filteredOut,
    long deleted,
    long consentChanges,
    long tagChanges,
    long written,
    long duplicates,
    List<QuarantinedRecord> quarantined,
    long stillRejected,
    String resumedFrom) {

  /** Copies the list. */
  public SyncReport {
    quarantined = List.copyOf(quarantined);
    resumedFrom = resumedFrom == null ? "" : resumedFrom;
  }

  @Override
  public String toString() {
    return String.format(
        "%s%s: seen %d, created %d, updated %d, unchanged %d, filtered out %d, deleted %d, consent changes %d,"
            + " tag changes %d, written %d, duplicates %d, quarantined %d, still rejected %d in %d ms",
        job, dryRun ? " (dry run)" : "", seen, created, updated, unchanged, filteredOut, deleted, consentChanges,
        tagChanges, written, duplicates, quarantined.size(), stillRejected, duration.toMillis());
  }
}

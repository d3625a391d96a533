package io.crmsync.sync.internal.forward;

import io.crmsync.apsis.imports.ImportOutcome;
import io.crmsync.sync.ContactData;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.internal.run.RunCounters;
import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.QuarantinedRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@link ImportPipeline} does with the rows an import carried, read back from their spool:
 * commits an applied import's snapshots (by compare-and-set; a row APSIS refused is quarantined, a
 * contact another writer saved meanwhile is planned again), or writes them per profile when the
 * import could not be made. Internal.
 */
final class SpooledRows {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SpooledRows.class);
    private static final int CHUNK = 1_000;

    private final Services services;
    private final ContactSyncer syncer;
    private final ContactReader reader;
    private final FullSyncOptions options;
    private final RunCounters run;

    SpooledRows(
            Services services, ContactSyncer syncer, ContactReader reader, FullSyncOptions options, RunCounters run) {
        this.services = services;
        this.syncer = syncer;
        this.reader = reader;
        this.options = options;
        this.run = run;
    }

    /** Commits an applied import's rows: snapshots by compare-and-set, the refused rows quarantined. */
    void commit(ImportOutcome outcome, Path spool) {
        Map<Integer, String> failures = ImportWriter.failures(outcome);
        Set<String> quarantined = quarantinedContacts();
        List<Long> lost = new ArrayList<>();
        try (SnapshotSpool.Reader in = new SnapshotSpool.Reader(spool)) {
            int row = 0;
            for (List<SnapshotSpool.Entry> chunk = in.next(CHUNK); !chunk.isEmpty(); chunk = in.next(CHUNK)) {
                run.fence.confirm(); // a run that lost its lease commits nothing more
                List<SnapshotSpool.Entry> applied = new ArrayList<>(chunk.size());
                for (SnapshotSpool.Entry e : chunk) {
                    row++;
                    String failure = failures.get(row);
                    if (failure == null) {
                        applied.add(e);
                        continue;
                    }
                    run.seen.incrementAndGet();
                    ContactSnapshot next = e.next();
                    syncer.rejected(
                            next.contactKey(),
                            next.fingerprint(),
                            services.store().snapshot(next.contactKey()),
                            failure,
                            run);
                }
                List<Boolean> saved = services.store()
                        .saveSnapshots(
                                applied.stream().map(SnapshotSpool.Entry::next).toList());
                for (int i = 0; i < applied.size(); i++) {
                    SnapshotSpool.Entry e = applied.get(i);
                    if (!saved.get(i)) {
                        lost.add(e.next().contactKey()); // another writer saved it meanwhile: planned again below
                        continue;
                    }
                    run.seen.incrementAndGet();
                    syncer.count(e.outcome(), false, e.consentChanges(), run);
                    String key = Long.toString(e.next().contactKey());
                    if (quarantined.contains(key)) {
                        services.store().release(ContactSyncer.CONTACT, key);
                    }
                }
            }
        }
        if (!lost.isEmpty()) {
            rewrite(lost);
        }
        LOG.debug(
                "committed import {}: {} rows, {} refused, {} planned again",
                outcome.importId(),
                outcome.rows(),
                failures.size(),
                lost.size());
    }

    /** Writes a spool's contacts per profile instead (an import that could not be made). */
    void writePerProfile(Path spool) {
        try (SnapshotSpool.Reader in = new SnapshotSpool.Reader(spool)) {
            for (List<SnapshotSpool.Entry> chunk = in.next(CHUNK); !chunk.isEmpty(); chunk = in.next(CHUNK)) {
                rewrite(chunk.stream().map(e -> e.next().contactKey()).toList());
            }
        }
    }

    /** Reads contacts afresh from Efficy and syncs them per profile (deleted ones as deleted). */
    void rewrite(Collection<Long> keys) {
        List<Long> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Long> part = all.subList(from, Math.min(all.size(), from + CHUNK));
            Map<Long, ContactData> found = reader.many(part);
            syncer.processPage(new ArrayList<>(found.values()), run, options.retryQuarantined());
            for (Long key : part) {
                if (!found.containsKey(key)) {
                    run.fence.check();
                    syncer.deleted(key, run);
                }
            }
        }
    }

    private Set<String> quarantinedContacts() {
        return services.store().quarantined().stream()
                .filter(q -> q.kind().equals(ContactSyncer.CONTACT))
                .map(QuarantinedRecord::id)
                .collect(Collectors.toCollection(HashSet::new));
    }
}

package io.crmsync.sync.internal.forward;

import io.crmsync.apsis.error.ApsisNotFoundException;
import io.crmsync.apsis.profile.ProfileKey;
import io.crmsync.efficy.rpc.Dataset;
import io.crmsync.efficy.rpc.Row;
import io.crmsync.sync.Job;
import io.crmsync.sync.QueryTagMapping;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.internal.Policies;
import io.crmsync.sync.internal.ProfileTarget;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.internal.run.JobRunner;
import io.crmsync.sync.internal.run.RunCounters;
import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.StateStore;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stored queries as tags: members gain the query's tag, leavers lose it. Only contacts whose
 * profile the engine created are tagged; the membership is stored after APSIS confirmed.
 * Internal; {@code SyncEngine.syncQueries} is the entry point.
 */
public final class QueryTagSync {

    private final Services services;
    private final ProfileTarget target;
    private final Policies policies;
    private final JobRunner jobs;

    public QueryTagSync(Services services, ProfileTarget target, Policies policies, JobRunner jobs) {
        this.services = services;
        this.target = target;
        this.policies = policies;
        this.jobs = jobs;
    }

    /** Syncs every configured query once. */
    public SyncReport run() {
        return jobs.run(Job.SYNC_QUERIES, false, run -> {
            StateStore store = services.store();
            for (QueryTagMapping q : policies.queries()) {
                Dataset rows = services.efficy().queries().rows(q.queryKey(), List.of(), 0);
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
                run.fence.confirm(); // members are committed only while the lease is held
                store.updateQueryMembers(q.queryKey(), added, removed);
            }
        });
    }

    private void tag(long contactKey, String tag, boolean on, RunCounters run) {
        run.fence.check();
        try {
            services.apsis()
                    .profiles()
                    .patchTags(
                            new ProfileKey(target.keyspace(), Long.toString(contactKey)),
                            target.section(),
                            Map.of(tag, on));
            run.tagChanges.incrementAndGet();
        } catch (ApsisNotFoundException e) {
            // The profile is gone: nothing to tag or untag.
        }
    }
}

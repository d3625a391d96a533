package io.crmsync.config.jobs;

import io.crmsync.client.Nullable;
import io.crmsync.config.keys.ConfigKey;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.Job;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import java.time.Duration;
import java.util.Optional;

/**
 * The jobs a host runs on its own, each declared once with the key of its interval: every host
 * ({@code serve}, the Spring starter, a cluster node) schedules these from a {@link JobCatalog}.
 */
public enum HostedJob {
    /** Every contact, by import when many change; run first when the store has never synced. */
    FULL_SYNC(Job.FULL_SYNC, null),
    /** Contacts changed since the last poll ({@code schedule.pollInterval}). */
    POLL(Job.POLL, HostKeys.POLL_INTERVAL),
    /** E-mail events back into Efficy ({@code schedule.reverseInterval}; off by default). */
    REVERSE_SYNC(Job.REVERSE_SYNC, HostKeys.REVERSE_INTERVAL),
    /** Stored queries as tags ({@code schedule.queryInterval}; only when {@code query.<n>.*} is set). */
    QUERY_TAGS(Job.SYNC_QUERIES, HostKeys.QUERY_INTERVAL);

    private final Job job;
    private final ConfigKey<Duration> interval;

    HostedJob(Job job, @Nullable ConfigKey<Duration> interval) {
        this.job = job;
        this.interval = interval;
    }

    /** The engine's job it runs. */
    public Job job() {
        return job;
    }

    /** The key of its interval; empty for the full sync, which runs on request or first. */
    public Optional<ConfigKey<Duration>> intervalKey() {
        return Optional.ofNullable(interval);
    }

    /** Runs it once on {@code engine}. */
    public SyncReport runOn(SyncEngine engine) {
        return switch (this) {
            case FULL_SYNC -> engine.fullSync(FullSyncOptions.defaults());
            case POLL -> engine.pollChanges();
            case REVERSE_SYNC -> engine.reverseSync();
            case QUERY_TAGS -> engine.syncQueries();
        };
    }

    /** Its name in logs and answers, e.g. {@code fullSync}. */
    @Override
    public String toString() {
        return job.id();
    }
}

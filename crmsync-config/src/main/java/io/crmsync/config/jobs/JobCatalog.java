package io.crmsync.config.jobs;

import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.sync.Job;
import io.crmsync.sync.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which {@link HostedJob}s a configuration runs, how often, and what runs first: the one
 * schedule every host follows.
 * <ul>
 *   <li>poll every {@code schedule.pollInterval} (1 minute); reverse sync every
 *       {@code schedule.reverseInterval} (off unless set); query tags every
 *       {@code schedule.queryInterval} (1 hour) when stored queries are configured; an interval of
 *       {@code PT0S} turns a job off;
 *   <li>a store that has never synced (no poll cursor) starts with a full sync, not a poll, unless
 *       {@code fullSync.onEmptyStore=false}: a first poll would send every contact one request at a
 *       time, where a full sync sends them by import.
 * </ul>
 * Immutable.
 *
 * <pre>{@code
 * JobCatalog catalog = JobCatalog.of(config);
 * HostedJob now = catalog.effective(HostedJob.POLL, store);   // FULL_SYNC on an empty store
 * }</pre>
 */
public final class JobCatalog {

    private final Map<HostedJob, Duration> intervals;
    private final boolean fullSyncOnEmptyStore;
    private final boolean taskWebhook;
    private final boolean efficyWebhook;

    private JobCatalog(
            Map<HostedJob, Duration> intervals,
            boolean fullSyncOnEmptyStore,
            boolean taskWebhook,
            boolean efficyWebhook) {
        this.intervals = Map.copyOf(intervals);
        this.fullSyncOnEmptyStore = fullSyncOnEmptyStore;
        this.taskWebhook = taskWebhook;
        this.efficyWebhook = efficyWebhook;
    }

    /**
     * The catalog a configuration says.
     *
     * @throws io.crmsync.config.ConfigException naming a key at fault
     */
    public static JobCatalog of(CrmsyncConfig config) {
        Map<HostedJob, Duration> intervals = new EnumMap<>(HostedJob.class);
        intervals.put(HostedJob.POLL, config.get(HostKeys.POLL_INTERVAL));
        intervals.put(HostedJob.REVERSE_SYNC, config.get(HostKeys.REVERSE_INTERVAL));
        intervals.put(
                HostedJob.QUERY_TAGS, config.queries().isEmpty() ? Duration.ZERO : config.get(HostKeys.QUERY_INTERVAL));
        return new JobCatalog(
                intervals,
                config.get(HostKeys.FULL_SYNC_ON_EMPTY_STORE),
                config.taskWebhook().isPresent(),
                config.isSet(HostKeys.EFFICY_WEBHOOK_SECRET));
    }

    /** The jobs that run on a schedule, with their intervals, in declaration order. */
    public List<Scheduled> scheduled() {
        List<Scheduled> list = new ArrayList<>();
        for (HostedJob job : HostedJob.values()) {
            Duration every = intervals.getOrDefault(job, Duration.ZERO);
            if (!every.isZero()) {
                list.add(new Scheduled(job, every));
            }
        }
        return list;
    }

    /** A job and how often it runs. */
    public record Scheduled(HostedJob job, Duration interval) {}

    /** How often a job runs; zero when it does not run on a schedule. */
    public Duration interval(HostedJob job) {
        return intervals.getOrDefault(job, Duration.ZERO);
    }

    /** Whether an empty store starts with a full sync. */
    public boolean fullSyncOnEmptyStore() {
        return fullSyncOnEmptyStore;
    }

    /**
     * What to run when {@code job} falls due on {@code store}: a poll on a store that has never
     * synced becomes the first full sync (the full sync sets the poll cursor when it completes).
     */
    public HostedJob effective(HostedJob job, StateStore store) {
        if (job == HostedJob.POLL
                && fullSyncOnEmptyStore
                && store.cursor(Job.POLL.id()).isEmpty()) {
            return HostedJob.FULL_SYNC;
        }
        return job;
    }

    /**
     * The engine jobs this configuration uses, for {@code SyncEngine.validateSetup(jobs)}: the
     * forward jobs always, and reverse sync, query tags, the Efficy and task webhooks only when
     * configured, so a field only an unused job needs is not asked for.
     */
    public Set<Job> jobs() {
        Set<Job> jobs = EnumSet.of(Job.FULL_SYNC, Job.POLL, Job.SYNC_CONTACT);
        scheduled().forEach(s -> jobs.add(s.job().job()));
        if (efficyWebhook) {
            jobs.add(Job.WEBHOOK);
        }
        if (taskWebhook) {
            jobs.add(Job.TASK_WEBHOOK);
        }
        return jobs;
    }

    @Override
    public String toString() {
        return "JobCatalog" + scheduled() + (fullSyncOnEmptyStore ? ", full sync first on an empty store" : "");
    }
}

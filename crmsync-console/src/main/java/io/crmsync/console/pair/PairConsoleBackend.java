package io.crmsync.console.pair;

import io.crmsync.config.jobs.HostedJob;
import io.crmsync.config.jobs.JobScheduler;
import io.crmsync.config.jobs.JobScheduler.JobStatus;
import io.crmsync.console.ConsoleBackend;
import io.crmsync.console.setup.SetupTarget;
import io.crmsync.console.view.ActionResult;
import io.crmsync.console.view.Figure;
import io.crmsync.console.view.JobSummary;
import io.crmsync.console.view.Overview;
import io.crmsync.console.view.QuarantineEntry;
import io.crmsync.console.view.RunEntry;
import io.crmsync.console.view.RunFilter;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.state.QuarantinedRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The console of one pair ({@code serve}, the Spring starter): the schedule's jobs and their runs
 * ({@link JobScheduler}), the engine's quarantine, and the APSIS client's last minute
 * ({@link ApsisActivity}). A host that starts before its pair is set up (serve's first run, with
 * only the console) calls {@link #attach} once the set-up is saved; until then the pages say so.
 * Thread-safe.
 *
 * <pre>{@code
 * PairConsoleBackend backend = new PairConsoleBackend("serve", activity, setupTarget);
 * backend.attach(engine, jobs);
 * }</pre>
 */
public final class PairConsoleBackend implements ConsoleBackend {

    /** The most records one "retry all" tries (the rest wait for the next click, or their next change). */
    public static final int RETRY_ALL_LIMIT = 100;

    private record Pair(SyncEngine engine, Supplier<JobScheduler> schedule) {

        /** The schedule, or one that ran nothing yet when the host has stopped it. */
        JobScheduler jobs() {
            JobScheduler s = schedule.get();
            if (s == null) {
                throw new IllegalStateException("the jobs are not running (the host is stopping or stopped)");
            }
            return s;
        }
    }

    private final String host;
    private final ApsisActivity activity;
    private final SetupTarget setup;
    private final Clock clock;
    private volatile Pair pair;

    /**
     * A console for a pair attached later.
     *
     * @param host the host's name in the page header
     * @param activity the APSIS client's listener, for the budget figures
     * @param setup where the set-up wizard's result goes
     */
    public PairConsoleBackend(String host, ApsisActivity activity, SetupTarget setup) {
        this(host, activity, setup, Clock.systemUTC());
    }

    PairConsoleBackend(String host, ApsisActivity activity, SetupTarget setup, Clock clock) {
        this.host = Objects.requireNonNull(host, "host");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.setup = Objects.requireNonNull(setup, "setup");
        this.clock = clock;
    }

    /** Shows this engine and schedule from now on. */
    public void attach(SyncEngine engine, JobScheduler jobs) {
        Objects.requireNonNull(jobs, "jobs");
        attach(engine, () -> jobs);
    }

    /**
     * Shows this engine, and the schedule the host runs now (the Spring starter starts and stops
     * its schedule with the application context; null while stopped).
     */
    public void attach(SyncEngine engine, Supplier<JobScheduler> jobs) {
        this.pair = new Pair(Objects.requireNonNull(engine, "engine"), Objects.requireNonNull(jobs, "jobs"));
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Overview overview() {
        Pair p = pair;
        if (p == null) {
            return new Overview(List.of(), List.of(new Figure("state", "not set up yet: open Set up", true)));
        }
        Instant now = clock.instant();
        List<JobSummary> jobs = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        for (JobStatus s : p.jobs().status()) {
            boolean scheduled = !s.interval().isZero()
                    && p.jobs().catalog().scheduled().stream().anyMatch(j -> j.job() == s.job());
            if (!scheduled && s.lastStart().isEmpty()) {
                continue;
            }
            Optional<Instant> next =
                    scheduled && !s.running() ? s.lastEnd().map(e -> e.plus(s.interval())) : Optional.empty();
            jobs.add(new JobSummary(
                    "",
                    s.job().toString(),
                    s.running(),
                    s.lastStart(),
                    s.lastEnd(),
                    s.lastOutcome(),
                    next,
                    s.lastDetail()));
            if (s.job() == HostedJob.POLL && scheduled) {
                figures.add(pollLag(s, now));
            }
        }
        figures.add(Figure.of("imports in flight", Long.toString(importsInFlight(p.engine()))));
        long used = activity.requestsLastMinute();
        figures.add(new Figure(
                "APSIS budget used, last minute",
                used + " of " + ApsisActivity.BUDGET_PER_MINUTE + " requests ("
                        + (used * 100 / ApsisActivity.BUDGET_PER_MINUTE) + " %)",
                used > ApsisActivity.BUDGET_PER_MINUTE * 8 / 10));
        long throttled = activity.throttledLastMinute();
        figures.add(new Figure("APSIS rate-limit waits, last minute", Long.toString(throttled), throttled > 0));
        figures.add(Figure.of(
                "quarantined",
                Integer.toString(p.engine().stateStore().quarantined().size())));
        return new Overview(jobs, figures);
    }

    private static Figure pollLag(JobStatus poll, Instant now) {
        if (poll.lastEnd().isEmpty()) {
            return new Figure("poll lag", "no poll yet", false);
        }
        Duration lag = Duration.between(poll.lastEnd().get(), now);
        boolean late = lag.compareTo(poll.interval().multipliedBy(3)) > 0
                || !"succeeded".equals(poll.lastOutcome().orElse(""));
        return new Figure(
                "poll lag", lag.toSeconds() + " s (every " + poll.interval().toSeconds() + " s)", late);
    }

    private static long importsInFlight(SyncEngine engine) {
        return SyncEngine.importsInFlight(engine.stateStore());
    }

    @Override
    public List<QuarantineEntry> quarantine(String tenant) {
        Pair p = pair;
        if (p == null) {
            return List.of();
        }
        return p.engine().stateStore().quarantined().stream()
                .limit(500)
                .map(q -> new QuarantineEntry("", q.kind(), q.id(), q.reason(), q.at(), q.attempts()))
                .toList();
    }

    @Override
    public ActionResult retry(String tenant, String kind, String id) {
        Pair p = pair;
        if (p == null) {
            return ActionResult.refused("not set up yet");
        }
        Optional<QuarantinedRecord> record = p.engine().stateStore().quarantined().stream()
                .filter(q -> q.kind().equals(kind) && q.id().equals(id))
                .findFirst();
        if (record.isEmpty()) {
            return ActionResult.refused(kind + " " + id + " is not quarantined (any more)");
        }
        return switch (kind) {
            case "contact" -> retryContact(p.engine(), id);
            case "email-event" -> {
                SyncReport r = p.engine().reverseSync(true);
                yield ActionResult.done("reverse sync ran with every quarantined event: "
                        + r.quarantined().size() + " still failing");
            }
            default -> ActionResult.refused(kind + " records are retried when their sender delivers them again");
        };
    }

    private static ActionResult retryContact(SyncEngine engine, String id) {
        long key;
        try {
            key = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return ActionResult.refused("contact id " + id + " is not a contact key");
        }
        try {
            engine.syncContact(key);
        } catch (RuntimeException e) {
            return ActionResult.refused("contact " + key + " could not be synced now: "
                    + e.getClass().getSimpleName());
        }
        Optional<QuarantinedRecord> still = engine.stateStore().quarantined().stream()
                .filter(q -> q.kind().equals("contact") && q.id().equals(id))
                .findFirst();
        return still.map(q -> ActionResult.refused("contact " + key + " is still quarantined: " + q.reason()))
                .orElseGet(() -> ActionResult.done("contact " + key + " synced and left the quarantine"));
    }

    @Override
    public ActionResult retryAll(String tenant) {
        Pair p = pair;
        if (p == null) {
            return ActionResult.refused("not set up yet");
        }
        List<QuarantinedRecord> all = p.engine().stateStore().quarantined();
        int released = 0;
        int tried = 0;
        boolean events = false;
        for (QuarantinedRecord q : all) {
            if (q.kind().equals("contact") && tried < RETRY_ALL_LIMIT) {
                tried++;
                if (retryContact(p.engine(), q.id()).ok()) {
                    released++;
                }
            } else if (q.kind().equals("email-event")) {
                events = true;
            }
        }
        if (events) {
            p.engine().reverseSync(true);
        }
        return ActionResult.done("tried " + tried + " contact(s), " + released + " left the quarantine"
                + (events ? "; reverse sync ran with every quarantined event" : ""));
    }

    @Override
    public List<RunEntry> runs(RunFilter filter) {
        Pair p = pair;
        if (p == null) {
            return List.of();
        }
        List<RunEntry> out = new ArrayList<>();
        for (JobStatus s : p.jobs().history()) {
            RunEntry r = new RunEntry(
                    "",
                    s.job().toString(),
                    host,
                    s.lastStart().orElse(Instant.EPOCH),
                    s.lastEnd(),
                    s.lastOutcome().orElse("unknown"),
                    s.lastDetail());
            if (filter.matches(r)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public ActionResult fullSync(String tenant) {
        Pair p = pair;
        if (p == null) {
            return ActionResult.refused("not set up yet");
        }
        p.jobs().runNow(HostedJob.FULL_SYNC).exceptionally(e -> {
            // the schedule logs the failure with its cause; the runs page shows it
            return null;
        });
        return ActionResult.done("full sync started: the overview shows it running");
    }

    @Override
    public SetupTarget setup() {
        return setup;
    }
}

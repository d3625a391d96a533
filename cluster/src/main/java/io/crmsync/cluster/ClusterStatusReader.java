package io.crmsync.cluster;

import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.HostKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Reads {@link ClusterStatus} in a few queries, and keeps the node table: each node's beat (with
 * its database check, every second) and its row's removal when it stops. Package-private.
 */
final class ClusterStatusReader {

    /** Beats between two counts of the due executions. */
    static final int BACKLOG_EVERY = 15;

    private static final String DUE =
            "select count(*) from scheduled_tasks where not picked and execution_time <= now()";
    private static final String OVERDUE = "select count(*) from scheduled_tasks where not picked and execution_time"
            + " < now() - interval '1 minute'";

    private final DataSource dataSource;
    private final TenantRegistry registry;
    private final RunJournal journal;
    private final Duration deadAfter;
    private final String node;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong beats = new AtomicLong();
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicReference<PollLags> pollLags = new AtomicReference<>(PollLags.NONE);
    private final Map<String, Map.Entry<Long, Duration>> intervals = new ConcurrentHashMap<>();

    ClusterStatusReader(
            DataSource dataSource, TenantRegistry registry, RunJournal journal, Duration deadAfter, String node) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.journal = journal;
        this.deadAfter = deadAfter;
        this.node = node;
    }

    /** From now on, {@link #beat} records the node (a node built for an admin command never beats). */
    void started() {
        running.set(true);
    }

    /**
     * Records that the node lives, once it is started; every {@value #BACKLOG_EVERY} beats, counts
     * the executions due and overdue for {@link #due()} and {@link #overdue()}.
     */
    void beat() {
        if (running.get()) {
            update("insert into crmsync_cluster_node (name, started_at, last_seen) values (?, clock_timestamp(),"
                    + " clock_timestamp()) on conflict (name) do update set last_seen = clock_timestamp()");
            if (beats.getAndIncrement() % BACKLOG_EVERY == 0) {
                try (Connection c = dataSource.getConnection()) {
                    due.set(number(c, DUE));
                    overdue.set(number(c, OVERDUE));
                    pollLags.set(pollLags(c));
                } catch (SQLException e) {
                    throw new ClusterException("could not count the due executions: " + e.getSQLState(), e);
                }
            }
        }
    }

    /** The tenants' poll lags, as last counted (every 15 s on a started node). */
    PollLags pollLags() {
        return pollLags.get();
    }

    private PollLags pollLags(Connection c) throws SQLException {
        Map<String, Instant> lastPoll = new HashMap<>();
        Instant now;
        try (PreparedStatement ps = c.prepareStatement("select tenant, max(ended_at), clock_timestamp() from"
                        + " crmsync_cluster_run where job = 'poll' and outcome = 'succeeded' group by tenant");
                ResultSet rs = ps.executeQuery()) {
            now = null;
            while (rs.next()) {
                lastPoll.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                now = rs.getTimestamp(3).toInstant();
            }
        }
        if (now == null) {
            now = instant(c, "select clock_timestamp()");
        }
        List<PollLags.TenantLag> lags = new ArrayList<>();
        for (Tenant t : registry.list()) {
            Instant last = lastPoll.get(t.id());
            Duration interval = pollInterval(t);
            if (!t.paused() && last != null && !interval.isZero()) {
                lags.add(new PollLags.TenantLag(t.id(), Duration.between(last, now), interval));
            }
        }
        lags.sort((a, b) -> Double.compare(b.intervals(), a.intervals()));
        long lagging = lags.stream().filter(l -> l.intervals() > 3).count();
        return new PollLags(now, lags.size(), lagging, lags.subList(0, Math.min(PollLags.WORST, lags.size())));
    }

    /** A tenant's poll interval, read once per version of its configuration (no secret resolved). */
    private Duration pollInterval(Tenant t) {
        Map.Entry<Long, Duration> known = intervals.get(t.id());
        if (known != null && known.getKey() == t.version()) {
            return known.getValue();
        }
        Duration every;
        try {
            every = CrmsyncConfig.of(t.properties(), name -> null).get(HostKeys.POLL_INTERVAL);
        } catch (RuntimeException unreadable) {
            every = Duration.ZERO; // its jobs fail with the reason; no lag is counted for it
        }
        intervals.put(t.id(), Map.entry(t.version(), every));
        return every;
    }

    /** Executions due and not picked, as last counted (every 15 s on a started node). */
    long due() {
        return due.get();
    }

    /** Executions due for more than a minute and not picked, as last counted. */
    long overdue() {
        return overdue.get();
    }

    /** Forgets a started node that stops; when the database does not answer, its row ages out within the hour. */
    void gone() {
        if (running.getAndSet(false)) {
            try {
                update("delete from crmsync_cluster_node where name = ?");
            } catch (ClusterException unreachable) {
                // shown as silent, then left out after an hour
            }
        }
    }

    private void update(String sql) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, node);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new ClusterException("could not record node " + node + ": " + e.getSQLState(), e);
        }
    }

    /**
     * The cluster now.
     *
     * @throws ClusterException when the database cannot be read
     */
    ClusterStatus read() {
        try (Connection c = dataSource.getConnection()) {
            Instant at = instant(c, "select clock_timestamp()");
            Map<String, Long> running =
                    counts(c, "select picked_by, count(*) from scheduled_tasks where picked group by picked_by");
            Map<String, List<String>> holding = new HashMap<>();
            try (PreparedStatement ps =
                            c.prepareStatement("select picked_by, task_name, task_instance from scheduled_tasks"
                                    + " where picked order by picked_by, task_name, task_instance");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> held = holding.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                    if (held.size() < 50) {
                        held.add(rs.getString(2) + " " + rs.getString(3));
                    }
                }
            }
            List<ClusterStatus.Node> nodes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "select name, started_at, last_seen from crmsync_cluster_node"
                                    + " where last_seen > clock_timestamp() - interval '1 hour' order by last_seen desc, name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant seen = rs.getTimestamp(3).toInstant();
                    nodes.add(new ClusterStatus.Node(
                            rs.getString(1),
                            rs.getTimestamp(2).toInstant(),
                            seen,
                            !seen.isBefore(at.minus(deadAfter)),
                            running.getOrDefault(rs.getString(1), 0L),
                            holding.getOrDefault(rs.getString(1), List.of())));
                }
            }
            Set<String> fullSyncs = new HashSet<>(counts(
                            c,
                            "select task_instance, count(*) from scheduled_tasks where task_name = '"
                                    + TenantJobs.FULL_SYNC + "' group by task_instance")
                    .keySet());
            Map<String, Long> failing = counts(
                    c,
                    "select split_part(task_instance, '/', 1), count(*) from scheduled_tasks where task_name = '"
                            + TenantJobs.WEBHOOK + "' and consecutive_failures > 0 group by 1");
            Map<String, LastRun> last = journal.lastRuns();
            List<ClusterStatus.TenantState> tenants = new ArrayList<>();
            for (Tenant t : registry.list()) {
                tenants.add(new ClusterStatus.TenantState(
                        t.id(),
                        t.paused(),
                        t.version(),
                        Optional.ofNullable(last.get(t.id())),
                        fullSyncs.contains(t.id()),
                        failing.getOrDefault(t.id(), 0L)));
            }
            long due = number(c, DUE);
            long overdue = number(c, OVERDUE);
            long failovers = number(
                    c,
                    "select count(*) from crmsync_cluster_run where outcome = 'abandoned' and ended_at >"
                            + " clock_timestamp() - interval '1 day'");
            long busy = number(
                    c,
                    "select count(*) from crmsync_cluster_rate where tat > clock_timestamp() - interval"
                            + " '1 minute'");
            long atLimit = number(c, "select count(*) from crmsync_cluster_rate where tat > clock_timestamp()");
            return new ClusterStatus(at, nodes, tenants, due, overdue, failovers, busy, atLimit);
        } catch (SQLException e) {
            throw new ClusterException("could not read the cluster's status: " + e.getSQLState(), e);
        }
    }

    /**
     * The journalled runs that pass the filter (each part null or empty for any), newest first.
     *
     * @throws ClusterException when the journal cannot be read
     */
    List<JournalRun> runs(String job, String tenant, String outcome, int limit) {
        return journal.runs(job, tenant, outcome, limit);
    }

    private static Map<String, Long> counts(Connection c, String sql) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static long number(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Instant instant(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }
}

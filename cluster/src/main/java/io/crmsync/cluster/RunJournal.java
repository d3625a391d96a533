package io.crmsync.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table {@code crmsync_cluster_run}: one row per exclusive run of a tenant's job, with its node,
 * its execution version, when it started and ended, and how: succeeded; fenced (stopped at its
 * fence, or refused its lease); superseded (it ended after another node took its execution over);
 * failed (retried by the scheduler). It
 * lets an operator see where a tenant ran, and lets tests prove that no two unfenced runs of one
 * tenant's job overlapped. A journal write that fails never fails the run: a run's end that cannot
 * be written is kept and written, with the time the run ended, at the next journal write that
 * succeeds or when the database answers again (so a live node's run does not look like a killed
 * node's). The open runs of a node that died are closed as {@code abandoned} when their execution
 * is revived ({@link #abandoned}). Package-private.
 */
final class RunJournal {

    private static final Logger LOG = LoggerFactory.getLogger(RunJournal.class);

    /** A run's end that could not be written yet. */
    private record PendingEnd(long id, String outcome, String detail, Instant endedAt) {}

    private final DataSource dataSource;
    private final String node;
    private final Queue<PendingEnd> pending = new ConcurrentLinkedQueue<>();

    RunJournal(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node;
    }

    /** Records a run's start and when its execution was due; returns its row id, or -1 when it could not be written. */
    long started(String tenant, String job, long version, Instant dueAt) {
        flushPending();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "insert into crmsync_cluster_run (tenant, job, node,"
                                + " execution_version, started_at, due_at) values (?, ?, ?, ?, clock_timestamp(), ?) returning id")) {
            ps.setString(1, tenant);
            ps.setString(2, job);
            ps.setString(3, node);
            ps.setLong(4, version);
            ps.setTimestamp(5, dueAt == null ? null : Timestamp.from(dueAt));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            LOG.warn("could not journal the start of {}'s {}: {}", tenant, job, e.getSQLState());
            return -1;
        }
    }

    /**
     * Records how a run ended; when the journal cannot be written, the end is kept and written
     * later with this moment as its end.
     */
    void ended(long id, String outcome, String detail) {
        if (id < 0) {
            return;
        }
        PendingEnd end = new PendingEnd(id, outcome, clip(detail), Instant.now());
        if (!write(end)) {
            pending.add(end);
            LOG.warn("could not journal the end of run {} yet; it is written when the database answers", id);
        }
    }

    /** Writes the ends kept during an outage; returns how many are still kept. */
    int flushPending() {
        for (PendingEnd end; (end = pending.peek()) != null; ) {
            if (!write(end)) {
                return pending.size();
            }
            pending.remove(end);
        }
        return 0;
    }

    /** Ends kept because the journal could not be written. */
    int pending() {
        return pending.size();
    }

    private boolean write(PendingEnd end) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update crmsync_cluster_run set ended_at ="
                        + " least(?, clock_timestamp()), outcome = ?, detail = ? where id = ? and ended_at is null")) {
            ps.setTimestamp(1, Timestamp.from(end.endedAt()));
            ps.setString(2, end.outcome());
            ps.setString(3, end.detail());
            ps.setLong(4, end.id());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Closes the open runs of a dead node's execution as {@code abandoned} when that execution is
     * revived, ended at the revival: by then the run's fence has stopped its writes (its lease time
     * is shorter than the dead limit), and the next run starts after it.
     *
     * @return how many runs were closed
     */
    int abandoned(String tenant, String job, String deadNode, long version, Instant lastHeartbeat, String reviver) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update crmsync_cluster_run set ended_at = clock_timestamp(),"
                        + " outcome = 'abandoned', detail = ? where tenant = ? and job = ? and node = ?"
                        + " and execution_version = ? and ended_at is null")) {
            ps.setString(
                    1,
                    clip("its node " + deadNode + " stopped beating at " + lastHeartbeat + "; revived by " + reviver));
            ps.setString(2, tenant);
            ps.setString(3, job);
            ps.setString(4, deadNode);
            ps.setLong(5, version);
            return ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("could not close {}'s {} runs of {}: {}", tenant, job, deadNode, e.getSQLState());
            return 0;
        }
    }

    /**
     * Records a run's end as {@code outcome} if this node still holds the execution that started it,
     * else as {@code superseded}, in one statement: the check and the end time are one instant of
     * the database (the statement's start, before its snapshot), so a node frozen between finishing
     * its work and journalling it cannot record an end that overlaps the next holder's run.
     *
     * @return whether the node still held the execution; empty when the journal could not tell
     *     (the run's start was not journalled, or the database did not answer)
     */
    Optional<Boolean> endedIfHeld(
            long id, ExecutionLeases.Held held, String outcome, String detail, String supersededDetail) {
        if (id < 0) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("with held as (select exists (" + ExecutionLeases.HELD + ") as yes)"
                                + " update crmsync_cluster_run set ended_at = statement_timestamp(),"
                                + " outcome = case when held.yes then ? else 'superseded' end,"
                                + " detail = case when held.yes then ? else ? end"
                                + " from held where id = ? returning held.yes")) {
            ps.setString(1, held.taskName());
            ps.setString(2, held.taskInstance());
            ps.setString(3, node);
            ps.setLong(4, held.version());
            ps.setString(5, outcome);
            ps.setString(6, clip(detail));
            ps.setString(7, clip(supersededDetail));
            ps.setLong(8, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            LOG.warn("could not journal the end of run {}: {}", id, e.getSQLState());
            return Optional.empty();
        }
    }

    private static String clip(String detail) {
        return detail == null ? null : detail.substring(0, Math.min(400, detail.length()));
    }

    /**
     * Each tenant's latest run.
     *
     * @throws ClusterException when the journal cannot be read
     */
    Map<String, LastRun> lastRuns() {
        Map<String, LastRun> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select distinct on (tenant) tenant, job, node, started_at,"
                        + " ended_at, outcome from crmsync_cluster_run order by tenant, started_at desc");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp ended = rs.getTimestamp(5);
                out.put(
                        rs.getString(1),
                        new LastRun(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getTimestamp(4).toInstant(),
                                Optional.ofNullable(ended).map(Timestamp::toInstant),
                                Optional.ofNullable(rs.getString(6))));
            }
            return out;
        } catch (SQLException e) {
            throw new ClusterException("could not read the run journal: " + e.getSQLState(), e);
        }
    }

    /** The runs that pass the filter (null or empty parts match any), newest first, at most {@code limit}. */
    List<JournalRun> runs(String job, String tenant, String outcome, int limit) {
        StringBuilder sql = new StringBuilder("select tenant, job, node, started_at, ended_at, outcome, detail"
                + " from crmsync_cluster_run where true");
        List<String> args = new ArrayList<>();
        for (String[] f : new String[][] {{"job", job}, {"tenant", tenant}}) {
            if (f[1] != null && !f[1].isEmpty()) {
                sql.append(" and ").append(f[0]).append(" = ?");
                args.add(f[1]);
            }
        }
        if ("running".equals(outcome)) {
            sql.append(" and ended_at is null");
        } else if (outcome != null && !outcome.isEmpty()) {
            sql.append(" and outcome = ?");
            args.add(outcome);
        }
        sql.append(" order by started_at desc, id desc limit ?");
        List<JournalRun> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String a : args) {
                ps.setString(i++, a);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp ended = rs.getTimestamp(5);
                    out.add(new JournalRun(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getTimestamp(4).toInstant(),
                            Optional.ofNullable(ended).map(Timestamp::toInstant),
                            Optional.ofNullable(rs.getString(6)),
                            Optional.ofNullable(rs.getString(7)).orElse("")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new ClusterException("could not read the run journal: " + e.getSQLState(), e);
        }
    }

    /** Deletes runs started more than {@code retention} ago, and nodes silent for a day; returns the runs. */
    int forget(Duration retention) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from crmsync_cluster_run where started_at"
                        + " < clock_timestamp() - make_interval(secs => ?)");
                PreparedStatement nodes = c.prepareStatement("delete from crmsync_cluster_node where last_seen"
                        + " < clock_timestamp() - interval '1 day'")) {
            ps.setDouble(1, retention.toSeconds());
            nodes.executeUpdate(); // nodes silent for a day: each restart under <host>-<pid> is a new name
            return ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("could not trim the run journal: {}", e.getSQLState());
            return 0;
        }
    }

    /**
     * Deletes every journalled run of a tenant (its erasure with {@code remove --purge}).
     *
     * @throws ClusterException when the journal cannot be written
     */
    int forgetTenant(String tenant) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from crmsync_cluster_run where tenant = ?")) {
            ps.setString(1, tenant);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new ClusterException("could not purge tenant " + tenant + "'s run journal: " + e.getSQLState(), e);
        }
    }
}

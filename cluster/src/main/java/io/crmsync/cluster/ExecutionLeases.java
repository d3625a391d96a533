package io.crmsync.cluster;

import io.crmsync.sync.state.ForwardingStateStore;
import io.crmsync.sync.state.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The lease of cluster mode: db-scheduler's picked execution. A tenant's exclusive run (poll,
 * full sync, reverse sync, queries) holds its job only while the execution that started it is
 * still picked by this node with the version it was picked at; that version is the fencing token.
 * The engine asks at the start of the run and at every heartbeat (a third of its lease time), and
 * its fence fails every write and checkpoint once the answer is no or the lease time has passed
 * without an answer, so a paused or partitioned node stops at its next commit, before another node
 * can have revived the execution. Package-private.
 */
final class ExecutionLeases {

    /** The execution a run was started by. */
    record Held(String taskName, String taskInstance, long version) {}

    /**
     * The condition "this node still holds the execution" on db-scheduler's table, with its four
     * parameters: task name, instance, node, version. The run journal evaluates it in the same
     * statement that records a run's end.
     */
    static final String HELD = "select 1 from scheduled_tasks where task_name = ? and task_instance = ?"
            + " and picked and picked_by = ? and version = ?";

    private final DataSource dataSource;
    private final String node;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    ExecutionLeases(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node;
    }

    void hold(String tenant, String job, Held execution) {
        held.put(tenant + "/" + job, execution);
    }

    void drop(String tenant, String job) {
        held.remove(tenant + "/" + job);
    }

    /** Whether this node still holds the execution (one query on db-scheduler's table). */
    boolean holds(Held execution) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(HELD)) {
            ps.setString(1, execution.taskName());
            ps.setString(2, execution.taskInstance());
            ps.setString(3, node);
            ps.setLong(4, execution.version());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new ClusterException(
                    "could not check the execution of " + execution.taskInstance() + ": " + e.getMessage(), e);
        }
    }

    /** A tenant's store whose leases are this node's picked executions. */
    StateStore fenced(String tenant, StateStore store) {
        return new ForwardingStateStore(store) {
            @Override
            public boolean tryLease(String job, String owner, Instant now, Duration ttl) {
                Held execution = held.get(tenant + "/" + job);
                return execution != null && holds(execution);
            }

            @Override
            public void releaseLease(String job, String owner) {
                // The execution's completion (or its revival elsewhere) ends it; nothing to give back.
            }
        };
    }

    /**
     * How long a run may write after its last confirmation: the dead limit less two beats. The node's
     * heartbeat and the run's confirmation happen at most a beat apart, and another node can take an
     * execution over only once its last heartbeat is a dead limit old; so a paused node's run stops
     * writing at least a beat before anyone else can start the same job.
     */
    static Duration leaseTime(Duration heartbeat, int missed) {
        return heartbeat.multipliedBy(missed - 2L);
    }
}

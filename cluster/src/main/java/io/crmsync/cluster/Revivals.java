package io.crmsync.cluster;

import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.Priority;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a dead node's executions are revived. db-scheduler calls the handler for each execution whose
 * heartbeat is older than the dead limit; this node then:
 * <ul>
 *   <li>does nothing while its own database access has not been good for a dead limit: after an
 *       outage every node's heartbeats are old, and reviving them would start live nodes' work a
 *       second time. The execution is looked at again at the next check;
 *   <li>otherwise puts it back at the time it first fell due, with {@link #REVIVED} priority, so
 *       that it is next in line on every node and may use a node's reserved thread
 *       ({@link NodeCapacity});
 *   <li>closes the runs the dead node journalled under it as {@code abandoned}, ended at the
 *       revival (their fence has stopped them by then).
 * </ul>
 * Package-private.
 */
final class Revivals {

    /**
     * The priority of a revived execution, above every other: db-scheduler gives one-time and
     * custom tasks 50 and its own recurring tasks 90.
     */
    static final int REVIVED = Priority.HIGH + 5;
    /** The priority of every other execution: db-scheduler's default. */
    static final int ORDINARY = Priority.MEDIUM;

    private static final Logger LOG = LoggerFactory.getLogger(Revivals.class);

    private final DataSource dataSource;
    private final RunJournal journal;
    private final DatabaseOutage outage;
    private final Duration deadAfter;
    private final String node;
    private final AtomicLong postponed = new AtomicLong();

    Revivals(DataSource dataSource, RunJournal journal, DatabaseOutage outage, Duration deadAfter, String node) {
        this.dataSource = dataSource;
        this.journal = journal;
        this.outage = outage;
        this.deadAfter = deadAfter;
        this.node = node;
    }

    /**
     * The handler of a task's dead executions.
     *
     * @param job the journal's name of the task's job, or null for a task that is not journalled
     */
    <T> DeadExecutionHandler<T> handler(String job) {
        return (complete, ops) -> {
            Execution dead = complete.getExecution();
            if (!outage.quietFor(deadAfter)) {
                if (postponed.getAndIncrement() % 100 == 0) {
                    LOG.info(
                            "not reviving {}/{} of {} yet: this node's own database access was down within the"
                                    + " last {}, so its heartbeat may be late, not dead",
                            dead.taskInstance.getTaskName(),
                            dead.taskInstance.getId(),
                            dead.pickedBy,
                            deadAfter);
                }
                return;
            }
            LOG.info(
                    "reviving {}/{}, dead on {} since its heartbeat at {}",
                    dead.taskInstance.getTaskName(),
                    dead.taskInstance.getId(),
                    dead.pickedBy,
                    dead.lastHeartbeat);
            // The priority first, on the dead version: once rescheduled, a fetch may take it at once.
            setPriority(dead.taskInstance.getTaskName(), dead.taskInstance.getId(), REVIVED, dead.version);
            ops.reschedule(complete, dead.executionTime);
            if (job != null) {
                journal.abandoned(
                        tenantOf(dead.taskInstance.getId()),
                        job,
                        dead.pickedBy,
                        dead.version,
                        dead.lastHeartbeat,
                        node);
            }
        };
    }

    /** Executions this node found dead but left alone after its own outage. */
    long postponed() {
        return postponed.get();
    }

    /**
     * Puts a revived execution this node now runs back to the ordinary priority, so that its next
     * run (a recurring job's) waits its turn like any other.
     */
    void ordinaryAgain(Execution running) {
        setPriority(running.taskInstance.getTaskName(), running.taskInstance.getId(), ORDINARY, running.version);
    }

    /** Sets the priority of an execution at {@code version} (reschedules leave it as it is). */
    private void setPriority(String task, String instance, int priority, long version) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update scheduled_tasks set priority = ?"
                        + " where task_name = ? and task_instance = ? and version = ?")) {
            ps.setInt(1, priority);
            ps.setString(2, task);
            ps.setString(3, instance);
            ps.setLong(4, version);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("could not set the priority of {}/{}: {}", task, instance, e.getSQLState());
        }
    }

    /** The tenant of an instance id: the id itself, or its part before the first slash. */
    private static String tenantOf(String instance) {
        int slash = instance.indexOf('/');
        return slash < 0 ? instance : instance.substring(0, slash);
    }
}

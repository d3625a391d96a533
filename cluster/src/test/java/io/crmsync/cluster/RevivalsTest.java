package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.TaskRepository;
import com.github.kagkarlsson.scheduler.event.SchedulerListeners;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a node revives a dead node's execution (#23 D2, D3): never on the strength of its own outage,
 * then at its first due time with the revived priority, closing the dead node's open runs.
 */
class RevivalsTest {

    private static final Duration DEAD_AFTER = Duration.ofSeconds(10);
    private static final Instant DUE = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    private static final Instant LAST_BEAT = DUE.plusSeconds(30);

    private DataSource db;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicBoolean down = new AtomicBoolean();
    private final List<Instant> rescheduledAt = new ArrayList<>();
    private DatabaseOutage outage;
    private Revivals revivals;

    @BeforeEach
    void start() throws Exception {
        db = ClusterDatabase.fresh();
        ClusterSchema.apply(db);
        outage = new DatabaseOutage(
                () -> {
                    if (down.get()) {
                        throw new ClusterException("down", new SQLException("refused", "08001"));
                    }
                },
                nanos::get);
        revivals = new Revivals(db, new RunJournal(db, "survivor"), outage, DEAD_AFTER, "survivor");
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute("insert into scheduled_tasks (task_name, task_instance, execution_time, picked, picked_by,"
                    + " last_heartbeat, version, priority) values ('crmsync-poll', 'acme', '" + Timestamp.from(DUE)
                    + "', true, 'gone', '" + Timestamp.from(LAST_BEAT) + "', 3, 50)");
            st.execute("insert into crmsync_cluster_run (tenant, job, node, execution_version, started_at) values"
                    + " ('acme', 'poll', 'gone', 3, '" + Timestamp.from(DUE.plusSeconds(1)) + "')");
        }
    }

    /** db-scheduler's call for the dead execution, with a repository that reschedules in the table. */
    private void deadExecutionFound() {
        Execution dead = new Execution(
                DUE, new TaskInstance<>("crmsync-poll", "acme"), true, "gone", null, null, 0, LAST_BEAT, 3);
        TaskRepository repository = (TaskRepository) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {TaskRepository.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("reschedule")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Instant at = (Instant) args[1];
                    rescheduledAt.add(at);
                    sql("update scheduled_tasks set picked = false, picked_by = null, execution_time = '"
                            + Timestamp.from(at) + "', version = version + 1 where task_instance = 'acme'");
                    return true;
                });
        DeadExecutionHandler<Object> handler = revivals.handler("poll");
        handler.deadExecution(
                ExecutionComplete.failure(dead, Instant.now(), Instant.now(), null),
                new ExecutionOperations<>(repository, SchedulerListeners.NOOP, dead));
    }

    @Test
    void aNodeBackFromItsOwnOutageRevivesNothingUntilItHasHadTheDatabaseForADeadLimit() throws Exception {
        down.set(true);
        outage.check();
        deadExecutionFound();
        assertThat(rescheduledAt).as("while this node's database is down").isEmpty();

        down.set(false);
        outage.check();
        deadExecutionFound();
        nanos.addAndGet(DEAD_AFTER.toNanos() - 1);
        deadExecutionFound();
        assertThat(rescheduledAt)
                .as("within a dead limit of its return: other nodes may not have beaten yet")
                .isEmpty();
        assertThat(revivals.postponed()).isEqualTo(3);
        assertThat(text("select outcome from crmsync_cluster_run")).isNull();

        nanos.addAndGet(1);
        deadExecutionFound();
        assertThat(rescheduledAt).as("revived at the time it first fell due").containsExactly(DUE);
        assertThat(text("select priority::text from scheduled_tasks where task_instance = 'acme'"))
                .isEqualTo(String.valueOf(Revivals.REVIVED));
    }

    @Test
    void aNodeThatNeverLostTheDatabaseRevivesAtOnceAndClosesTheDeadNodesRunAsAbandoned() throws Exception {
        deadExecutionFound();

        assertThat(rescheduledAt).containsExactly(DUE);
        assertThat(text("select outcome from crmsync_cluster_run")).isEqualTo("abandoned");
        assertThat(text("select detail from crmsync_cluster_run"))
                .contains("gone")
                .contains(LAST_BEAT.toString())
                .contains("survivor");
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("select ended_at from crmsync_cluster_run");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getTimestamp(1).toInstant())
                    .as("ended at the revival, when its fence has stopped it")
                    .isAfter(LAST_BEAT.plus(DEAD_AFTER));
        }
    }

    @Test
    void aRunsEndThatCannotBeJournalledIsWrittenWithItsTimeOnceTheDatabaseAnswers() throws Exception {
        AtomicBoolean journalDown = new AtomicBoolean();
        DataSource flaky = (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && journalDown.get()) {
                        throw new SQLException("connection refused", "08001");
                    }
                    return method.invoke(db, args);
                });
        RunJournal journal = new RunJournal(flaky, "live");
        long run = journal.started("beta", "poll", 9, null);
        journalDown.set(true);
        Instant before = Instant.now();
        journal.ended(run, "succeeded", null);
        assertThat(journal.pending()).isEqualTo(1);
        assertThat(journal.flushPending()).as("still down").isEqualTo(1);

        journalDown.set(false);
        long next = journal.started("beta", "poll", 10, null);
        assertThat(journal.pending()).as("written before the next run's start").isZero();
        assertThat(text("select outcome from crmsync_cluster_run where id = " + run))
                .isEqualTo("succeeded");
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select ended_at from crmsync_cluster_run where id = " + run);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getTimestamp(1).toInstant())
                    .as("the run's end, not the time it could be written")
                    .isBetween(before.minusMillis(1), before.plusSeconds(5));
        }
        assertThat(next).isGreaterThan(run);
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private String text(String query) throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : "no row";
        }
    }
}

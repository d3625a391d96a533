package io.crmsync.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.cli.Cli;
import io.crmsync.sync.state.Databases;
import io.crmsync.testkit.http.Fault;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a child-process CLI at seeded random points of a full sync, with Efficy changing
 * between runs; each restart must start at once (no lease left behind) and the last run must leave
 * both sides equal with nothing lost, duplicated or leaked. SIGTERM must stop a run and free its
 * lease at once.
 *
 * <p>CI size: 2,000 contacts and 4 kills (H2), 2 kills (PostgreSQL). The large version (figures in
 * {@code docs/RELIABILITY.md}): {@code mvn -pl cli test -Dtest=KillRestartTest
 * -Dcrmsync.reliability.contacts=100000 -Dcrmsync.reliability.kills=20}.
 */
@Tag("reliability")
class KillRestartTest {

    static final int CONTACTS = Integer.getInteger("crmsync.reliability.contacts", 2_000);
    static final int KILLS = Integer.getInteger("crmsync.reliability.kills", 4);
    static final long SEED = Long.getLong("crmsync.reliability.seed", 20261129L);

    /** What one run of the matrix found, printed for docs/RELIABILITY.md. */
    record Row(String test, int runs, long lost, long duplicated, long leaked, long extraRequests) {
        @Override
        public String toString() {
            return "| " + test + " | " + runs + " | " + lost + " | " + duplicated + " | " + leaked + " | "
                    + extraRequests + " |";
        }
    }

    @Test
    void killedFullSyncsOnH2RestartAtOnceAndLoseNothing() throws Exception {
        try (Pair pair = new Pair(CONTACTS, SEED)) {
            Path state = pair.dir.resolve("state");
            Row row = killAndRestart(pair, "jdbc:h2:file:" + state.toAbsolutePath(), KILLS, "kill -9, H2 file");
            System.out.println("RELIABILITY " + row);
            assertThat(row.lost()).isZero();
            assertThat(row.duplicated()).isZero();
            assertThat(row.leaked()).isZero();
        }
    }

    @Test
    void killedFullSyncsOnPostgresRestartAtOnceAndLoseNothing() throws Exception {
        String url = Databases.postgres();
        try (Pair pair = new Pair(CONTACTS, SEED + 1)) {
            Row row = killAndRestart(pair, url, Math.max(2, KILLS / 2), "kill -9, PostgreSQL");
            System.out.println("RELIABILITY " + row);
            assertThat(row.lost()).isZero();
            assertThat(row.duplicated()).isZero();
            assertThat(row.leaked()).isZero();
        }
    }

    private Row killAndRestart(Pair pair, String stateUrl, int kills, String name) throws Exception {
        Path config = pair.config(stateUrl);
        Map<String, String> env = pair.env();
        Random random = new Random(SEED);
        List<String> outputs = new ArrayList<>();
        int runs = 0;
        for (int k = 0; k < kills; k++) {
            Path out = pair.dir.resolve("run-" + k + ".log");
            ChildCli child = ChildCli.start(env, out, "full-sync", "--config", config.toString());
            runs++;
            // Once the sync is under way (its first Efficy page read), a random point within the run:
            // pages, imports and their wait. The window grows with the run's length.
            long started = System.nanoTime();
            while (child.alive()
                    && !child.output().contains("contactPage")
                    && System.nanoTime() - started < Duration.ofSeconds(60).toNanos()) {
                Thread.sleep(20);
            }
            Thread.sleep(random.nextInt((int) (4_000 * Math.sqrt(Math.max(1.0, pair.contacts / 2_000.0)))));
            boolean killed = child.alive();
            child.kill9();
            String text = child.output();
            outputs.add(text);
            // A restart right after the kill is never refused: nothing of the dead run holds the job.
            assertThat(text).as("run %d after a kill", k).doesNotContain("running on another engine instance");
            // Efficy keeps changing while the integration is down.
            for (int i = 0; i < 10; i++) {
                long key = 1 + random.nextInt(pair.contacts);
                pair.efficy.updateContact(key, Map.of("FIRSTNAME", "Renamed" + k + "x" + i));
            }
            if (!killed) {
                System.out.println("RELIABILITY run " + k + " finished before its kill");
            }
        }
        Path last = pair.dir.resolve("run-last.log");
        ChildCli finish = ChildCli.start(env, last, "full-sync", "--config", config.toString());
        runs++;
        int status = finish.await(Duration.ofMinutes(10));
        outputs.add(finish.output());
        assertThat(status)
                .as("the last run; output:\n%s", tail(finish.output()))
                .isEqualTo(Cli.OK);
        // As an operator's schedule does after a full sync: a poll picks up what changed in Efficy
        // since the full sync's first attempt began (a resumed full sync does not re-read the contacts
        // before its checkpoint).
        ChildCli poll = ChildCli.start(env, pair.dir.resolve("poll.log"), "poll", "--config", config.toString());
        runs++;
        assertThat(poll.await(Duration.ofMinutes(10)))
                .as("the poll; output:\n%s", tail(poll.output()))
                .isEqualTo(Cli.OK);
        outputs.add(poll.output());
        List<Long> lost = pair.lost();
        assertThat(lost).as("contacts whose data did not reach APSIS").isEmpty();
        long settled = outputs.stream()
                .filter(o -> o.contains("left by an earlier run"))
                .count();
        System.out.println("RELIABILITY " + name + ": " + settled + " run(s) settled an import a killed run left");
        List<String> leaks = pair.leaks(outputs);
        assertThat(leaks).as("leaks").isEmpty();
        long requests = pair.apsis.journal().total() + pair.efficy.journal().total();
        return new Row(
                name + ", " + pair.contacts + " contacts",
                runs,
                lost.size(),
                pair.duplicated(),
                leaks.size(),
                requests
                        - baseline(
                                pair.contacts,
                                pair.seed,
                                stateUrl.startsWith("jdbc:h2") ? null : Databases.postgres()));
    }

    /**
     * The requests of the same work done without a kill: one full sync and one poll, in this JVM
     * (the count does not depend on the process). The killed scenario's renames add a few updates.
     */
    private long baseline(int contacts, long seed, String postgresUrl) throws Exception {
        try (Pair clean = new Pair(contacts, seed)) {
            Path config = clean.config(
                    postgresUrl != null
                            ? postgresUrl
                            : "jdbc:h2:file:" + clean.dir.resolve("state").toAbsolutePath());
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            assertThat(new Cli(clean.env(), quiet, quiet)
                            .run(new String[] {"full-sync", "--config", config.toString()}))
                    .isEqualTo(Cli.OK);
            assertThat(new Cli(clean.env(), quiet, quiet).run(new String[] {"poll", "--config", config.toString()}))
                    .isEqualTo(Cli.OK);
            return clean.apsis.journal().total() + clean.efficy.journal().total();
        }
    }

    @Test
    void sigtermStopsTheRunAtItsNextSafePointAndTheNextRunStartsAtOnce() throws Exception {
        try (Pair pair = new Pair(CONTACTS, SEED + 2)) {
            Path config =
                    pair.config("jdbc:h2:file:" + pair.dir.resolve("state").toAbsolutePath());
            // Slow APSIS down so the run is surely in flight when SIGTERM comes.
            pair.apsis.faults().next(1_000_000, "/", Fault.delay(Duration.ofMillis(5)));
            ChildCli child = ChildCli.start(
                    pair.env(),
                    pair.dir.resolve("term.log"),
                    "full-sync",
                    "--config",
                    config.toString(),
                    "--retry-quarantined");
            Thread.sleep(2_500);
            assertThat(child.alive()).isTrue();
            long termAt = System.nanoTime();
            child.term();
            int status = child.await(Duration.ofSeconds(40));
            Duration stopped = Duration.ofNanos(System.nanoTime() - termAt);
            System.out.println(
                    "RELIABILITY SIGTERM stopped the run in " + stopped.toMillis() + " ms, status " + status);
            assertThat(status).isIn(Cli.OK, Cli.FAILED, 143);
            pair.apsis.faults().clear();
            ChildCli next = ChildCli.start(
                    pair.env(), pair.dir.resolve("after-term.log"), "full-sync", "--config", config.toString());
            assertThat(next.await(Duration.ofMinutes(5)))
                    .as("the run after SIGTERM; output:\n%s", tail(next.output()))
                    .isEqualTo(Cli.OK);
            assertThat(pair.lost()).isEmpty();
        }
    }

    static String tail(String text) {
        return text.length() <= 3_000 ? text : text.substring(text.length() - 3_000);
    }
}

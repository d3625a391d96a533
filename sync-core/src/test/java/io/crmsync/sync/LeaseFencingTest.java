package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.sync.state.ForwardingStateStore;
import io.crmsync.sync.state.InMemoryStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease of an exclusive run: a heartbeat keeps it through a run longer than its time to live,
 * a run that lost it stops before its next write and checkpoint, and closing the engine stops the
 * run at its next safe point and gives the lease back.
 */
class LeaseFencingTest {

    private static final String CREATE = SyncEngineRunsTest.CREATE;
    private static final FullSyncOptions PAGES_OF_100 =
            FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE).withPageSize(100);

    private final Emulated env = new Emulated(300);

    @AfterEach
    void stop() {
        env.close();
    }

    /** A store where another instance can be made to take a lease from under its holder. */
    static final class StealableStore extends ForwardingStateStore {
        final AtomicBoolean stolen = new AtomicBoolean();

        StealableStore() {
            super(new InMemoryStateStore());
        }

        @Override
        public boolean tryLease(String job, String owner, Instant now, Duration ttl) {
            return !stolen.get() && super.tryLease(job, owner, now, ttl);
        }
    }

    /** A listener that pauses the run on its first progress event (after the first checkpoint). */
    static SyncListener pauseOnFirstPage(Runnable whilePaused) {
        AtomicInteger pages = new AtomicInteger();
        return new SyncListener() {
            @Override
            public void progress(Job job, long seen) {
                if (pages.incrementAndGet() == 1) {
                    whilePaused.run();
                }
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aHeartbeatKeepsTheLeaseThroughARunLongerThanItsTimeToLive() {
        InMemoryStateStore store = new InMemoryStateStore();
        AtomicBoolean otherRefused = new AtomicBoolean();
        try (SyncEngine other =
                env.engine(b -> b.stateStore(store).instanceId("other").leaseTtl(Duration.ofMillis(300)))) {
            SyncListener pause = pauseOnFirstPage(() -> {
                sleep(1_000); // more than three times the lease's time to live, inside one run
                try {
                    other.fullSync(PAGES_OF_100);
                } catch (JobAlreadyRunningException e) {
                    otherRefused.set(true);
                }
            });
            try (SyncEngine engine = env.engine(b -> b.stateStore(store)
                    .instanceId("first")
                    .leaseTtl(Duration.ofMillis(300))
                    .listener(pause))) {
                SyncReport report = engine.fullSync(PAGES_OF_100);
                assertThat(report.seen()).isEqualTo(300);
            }
        }
        assertThat(otherRefused)
                .as("the second instance was kept out by the renewed lease")
                .isTrue();
        assertThat(env.apsis.journal().count(CREATE)).isEqualTo(env.apsis.profileCount());
    }

    @Test
    void aRunThatLostItsLeaseStopsBeforeItsNextWriteAndCheckpoint() {
        StealableStore store = new StealableStore();
        SyncListener pause = pauseOnFirstPage(() -> {
            store.stolen.set(true); // another instance takes the job over
            sleep(600); // the heartbeat (every 100 ms) finds out
        });
        try (SyncEngine engine = env.engine(
                b -> b.stateStore(store).leaseTtl(Duration.ofMillis(300)).listener(pause))) {
            assertThatThrownBy(() -> engine.fullSync(PAGES_OF_100))
                    .isInstanceOf(RunStoppedException.class)
                    .hasMessageContaining("another instance took its lease");
        }
        assertThat(store.cursor("fullSync"))
                .as("no checkpoint after the first page")
                .contains("100");
        long firstPage = env.apsis.profileCount();
        assertThat(firstPage).isBetween(1L, 100L);
        assertThat(env.apsis.journal().count(CREATE))
                .as("no write after the lease was lost")
                .isEqualTo(firstPage);
    }

    @Test
    void aRunThatCannotRenewItsLeaseStopsOnceTheLeaseRunsOut() {
        AtomicBoolean storeDown = new AtomicBoolean();
        ForwardingStateStore store = new ForwardingStateStore(new InMemoryStateStore()) {
            @Override
            public boolean tryLease(String job, String owner, Instant now, Duration ttl) {
                if (storeDown.get()) {
                    throw new IllegalStateException("lease table unreachable");
                }
                return super.tryLease(job, owner, now, ttl);
            }
        };
        // The heartbeat cannot tell whether another instance took over, so once the lease's time has
        // passed since its last renewal the run must assume it did.
        SyncListener pause = pauseOnFirstPage(() -> {
            storeDown.set(true);
            sleep(500);
        });
        try (SyncEngine engine = env.engine(
                b -> b.stateStore(store).leaseTtl(Duration.ofMillis(150)).listener(pause))) {
            assertThatThrownBy(() -> engine.fullSync(PAGES_OF_100))
                    .isInstanceOf(RunStoppedException.class)
                    .hasMessageContaining("ran out");
        }
        assertThat(store.cursor("fullSync")).contains("100");
    }

    @Test
    void closingTheEngineStopsTheRunAtItsNextSafePointAndGivesTheLeaseBack() throws Exception {
        InMemoryStateStore store = new InMemoryStateStore();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        SyncEngine[] holder = new SyncEngine[1];
        SyncListener pause = pauseOnFirstPage(() -> {
            // What a shutdown hook does on SIGTERM: close the engine from another thread.
            CompletableFuture.runAsync(() -> {
                holder[0].close();
                closed.complete(null);
            });
            sleep(300);
        });
        holder[0] = env.engine(b -> b.stateStore(store).listener(pause));
        assertThatThrownBy(() -> holder[0].fullSync(PAGES_OF_100))
                .isInstanceOf(RunStoppedException.class)
                .hasMessageContaining("closing");
        closed.get(10, TimeUnit.SECONDS);
        assertThat(store.tryLease("fullSync", "next-process", Instant.now(), Duration.ofSeconds(30)))
                .as("the lease was given back")
                .isTrue();
        assertThat(store.cursor("fullSync")).contains("100");
        assertThatThrownBy(() -> holder[0].fullSync(PAGES_OF_100)).isInstanceOf(RunStoppedException.class);
    }
}

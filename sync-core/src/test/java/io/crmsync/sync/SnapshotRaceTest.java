package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.Databases;
import io.crmsync.sync.state.ForwardingStateStore;
import io.crmsync.sync.state.StateStore;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import io.crmsync.testkit.apsis.ProfileView;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interleaving behind a lost update between two instances sharing a store, held in place by
 * latches (contact 144, seeded as Aoife, as in the failure CI saw): the instance that read the
 * contact before Efficy changed it again ("stale") writes APSIS after
 * the instance that read it after ("fresh"), yet commits its snapshot first. The fresh instance
 * loses the snapshot's compare-and-set and plans again: APSIS must end with the fresh value.
 */
class SnapshotRaceTest {

    private static final long KEY = 144;
    private static final String FIRSTNAME = "com.apsis1.attributes.firstname";

    private final Emulated env = new Emulated(300);
    private final String url = Databases.postgres();
    private final JdbcStateStore storeA = JdbcStateStore.create(url);
    private final JdbcStateStore storeB = JdbcStateStore.create(url);
    private final CountDownLatch staleHasRead = new CountDownLatch(1);
    private final CountDownLatch freshHasWritten = new CountDownLatch(1);
    private final CountDownLatch staleHasCommitted = new CountDownLatch(1);
    private final AtomicBoolean holdStale = new AtomicBoolean();
    private final AtomicBoolean holdFresh = new AtomicBoolean();
    private final AtomicBoolean staleWonTheSnapshot = new AtomicBoolean();
    private SyncEngine stale;
    private SyncEngine fresh;

    @AfterEach
    void stop() {
        for (SyncEngine e : new SyncEngine[] {stale, fresh}) {
            if (e != null) {
                e.close();
            }
        }
        storeA.close();
        storeB.close();
        env.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the other instance never reached its point of the race");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void theFreshValueWinsWhenTheStaleWriteLandsLastButCommitsFirst() throws Exception {
        race(Map.of("FIRSTNAME", "Stale144"), Map.of("FIRSTNAME", "Changed144"));

        assertThat(profile().attribute(Emulated.SECTION, FIRSTNAME)).contains("Changed144");
        assertAgreed();
    }

    private ProfileView profile() {
        return env.apsis.profile(Emulated.KS, Long.toString(KEY)).orElseThrow();
    }

    /** A further run by either instance finds nothing to send: the shared snapshot agrees with APSIS. */
    private void assertAgreed() {
        long writes = env.apsisWrites();
        assertThat(stale.syncContact(KEY).unchanged()).isEqualTo(1);
        assertThat(fresh.syncContact(KEY).unchanged()).isEqualTo(1);
        assertThat(env.apsisWrites() - writes).isZero();
    }

    /**
     * The stale instance reads {@code staleFields} from Efficy, then Efficy says {@code freshFields}
     * and the fresh instance reads that; the fresh one writes APSIS first, the stale one writes
     * after it and commits first.
     */
    private void race(Map<String, Object> staleFields, Map<String, Object> freshFields) throws Exception {
        // The stale instance has read Efficy; it reads the snapshot only once the fresh one has
        // written APSIS, then writes and commits.
        StateStore staleStore = new ForwardingStateStore(storeA) {
            @Override
            public Optional<ContactSnapshot> snapshot(long k) {
                if (k == KEY && holdStale.getAndSet(false)) {
                    staleHasRead.countDown();
                    SnapshotRaceTest.await(freshHasWritten);
                }
                return super.snapshot(k);
            }

            @Override
            public boolean saveSnapshot(ContactSnapshot s) {
                boolean saved = super.saveSnapshot(s);
                if (s.contactKey() == KEY && staleHasRead.getCount() == 0 && staleHasCommitted.getCount() > 0) {
                    staleWonTheSnapshot.set(saved);
                    staleHasCommitted.countDown(); // its commit in the race, not the first sync's
                }
                return saved;
            }
        };
        // The fresh instance has written APSIS when it commits; it commits once the stale one has.
        StateStore freshStore = new ForwardingStateStore(storeB) {
            @Override
            public boolean saveSnapshot(ContactSnapshot s) {
                if (s.contactKey() == KEY && holdFresh.getAndSet(false)) {
                    freshHasWritten.countDown();
                    SnapshotRaceTest.await(staleHasCommitted);
                }
                return super.saveSnapshot(s);
            }
        };
        stale = env.engine(b -> b.stateStore(staleStore).instanceId("stale"));
        fresh = env.engine(b -> b.stateStore(freshStore).instanceId("fresh"));
        stale.syncContact(KEY); // the contact is in APSIS and in the snapshot
        holdStale.set(true);
        holdFresh.set(true);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            env.efficy.updateContact(KEY, staleFields);
            Future<SyncReport> staleRun = pool.submit(() -> stale.syncContact(KEY));
            await(staleHasRead);
            env.efficy.updateContact(KEY, freshFields);
            Future<SyncReport> freshRun = pool.submit(() -> fresh.syncContact(KEY));
            staleRun.get(60, TimeUnit.SECONDS);
            freshRun.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(staleHasCommitted.getCount()).as("the race ran as planned").isZero();
        assertThat(staleWonTheSnapshot)
                .as("the stale instance won the compare-and-set")
                .isTrue();
    }
}

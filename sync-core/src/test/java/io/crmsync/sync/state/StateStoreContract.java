package io.crmsync.sync.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} must do. Each shipped store's test extends it, and so can a
 * plug-in's: depend on {@code io.crmsync:sync-core} with {@code <type>test-jar</type>} and
 * {@code <scope>test</scope>}, extend this class and return your store from {@link #store()}.
 *
 * <pre>{@code
 * class MyStoreContractTest extends StateStoreContract {
 *   private final MyStore store = new MyStore();
 *   @Override protected StateStore store() { return store; }
 * }
 * }</pre>
 */
public abstract class StateStoreContract {

    /** The time the contract's records carry. */
    protected static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    /** The store under test, empty at the start of each test. */
    protected abstract StateStore store();

    /** A second handle on the same data, as another process would have (same object if none). */
    protected StateStore otherHandle() {
        return store();
    }

    /** A snapshot with typed values. */
    protected static ContactSnapshot snapshot(long key, long version, String fingerprint) {
        return new ContactSnapshot(
                key,
                version,
                fingerprint,
                Map.of(
                        "com.apsis1.attributes.email",
                        "a@example.com",
                        "usercreated.attributes.score",
                        5L,
                        "usercreated.attributes.vip",
                        true),
                Map.of("t1|com.apsis1.channels.email", true),
                true,
                true,
                T0);
    }

    @Test
    public void snapshotsRoundTripTheirValuesOrTheirDigests() {
        StateStore s = store();
        assertThat(s.saveSnapshot(snapshot(7, 1, "f1"))).isTrue();
        ContactSnapshot read = s.snapshot(7).orElseThrow();
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.fingerprint()).isEqualTo("f1");
        // A store may keep each value or its digest; either stands for the value and no other.
        Object email = read.attribute("com.apsis1.attributes.email").orElseThrow();
        assertThat(ContactSnapshot.sameValue(email, "a@example.com")).isTrue();
        assertThat(ContactSnapshot.sameValue(email, "b@example.com")).isFalse();
        Object score = read.attribute("usercreated.attributes.score").orElseThrow();
        assertThat(ContactSnapshot.sameValue(score, 5)).isTrue();
        assertThat(ContactSnapshot.sameValue(score, "5")).as("typed").isFalse();
        assertThat(ContactSnapshot.sameValue(
                        read.attribute("usercreated.attributes.vip").orElseThrow(), true))
                .isTrue();
        assertThat(read.consents()).containsEntry("t1|com.apsis1.channels.email", true);
        assertThat(s.snapshots(List.of(7L, 8L))).containsOnlyKeys(7L);
    }

    @Test
    public void bulkSavesAreCompareAndSetPerSnapshot() {
        StateStore s = store();
        assertThat(s.saveSnapshot(snapshot(2, 1, "a"))).isTrue();

        List<Boolean> saved =
                s.saveSnapshots(List.of(snapshot(1, 1, "x"), snapshot(2, 1, "stale"), snapshot(2, 2, "b")));

        assertThat(saved).containsExactly(true, false, true);
        // Two first versions of one contact in one call: the first wins, as one by one.
        assertThat(s.saveSnapshots(List.of(snapshot(9, 1, "first"), snapshot(9, 1, "second"))))
                .containsExactly(true, false);
        assertThat(otherHandle().snapshot(9).orElseThrow().fingerprint()).isEqualTo("first");
        assertThat(s.snapshots(List.of(1L, 2L)))
                .extractingByKeys(1L, 2L)
                .extracting(ContactSnapshot::fingerprint)
                .containsExactly("x", "b");
    }

    @Test
    public void snapshotSavesAreCompareAndSet() {
        StateStore s = store();
        assertThat(s.saveSnapshot(snapshot(1, 1, "a"))).isTrue();
        assertThat(otherHandle().saveSnapshot(snapshot(1, 1, "b")))
                .as("second insert")
                .isFalse();
        assertThat(s.saveSnapshot(snapshot(1, 2, "c"))).isTrue();
        assertThat(otherHandle().saveSnapshot(snapshot(1, 2, "d")))
                .as("stale update")
                .isFalse();
        assertThat(s.snapshot(1).orElseThrow().fingerprint()).isEqualTo("c");
        s.deleteSnapshot(1);
        assertThat(s.snapshot(1)).isEmpty();
    }

    @Test
    public void concurrentWritersNeverLoseAnUpdate() throws Exception {
        StateStore s = store();
        s.saveSnapshot(snapshot(3, 1, "start"));
        AtomicInteger wins = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> tasks = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            StateStore handle = t % 2 == 0 ? s : otherHandle();
            tasks.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    while (true) {
                        ContactSnapshot current = handle.snapshot(3).orElseThrow();
                        ContactSnapshot next =
                                current.next("x", current.attributes(), current.consents(), true, true, T0);
                        if (handle.saveSnapshot(next)) {
                            wins.incrementAndGet();
                            break;
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : tasks) {
            f.get();
        }
        pool.shutdown();
        assertThat(wins.get()).isEqualTo(200);
        assertThat(s.snapshot(3).orElseThrow().version()).isEqualTo(201);
    }

    @Test
    public void processedIdsAreReadAndMarkedInBulkAlongsideOnesMarkedSingly() {
        StateStore s = store();
        s.markProcessed("events", "b-2");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ids.add("b-" + i);
        }
        assertThat(otherHandle().processedAmong("events", ids)).containsExactly("b-2");
        s.markAllProcessed("events", ids); // b-2 was marked already: kept, not an error
        assertThat(otherHandle().processedAmong("events", ids)).hasSize(250);
        assertThat(s.processedAmong("tasks", ids)).isEmpty();
        assertThat(s.markProcessed("events", "b-249")).isFalse();
        assertThat(s.markProcessed("events", "b-250")).isTrue();
        s.markAllProcessed("events", List.of());
        assertThat(s.processedAmong("events", List.of())).isEmpty();
    }

    @Test
    public void cursorsProcessedIdsAndQueryMembers() {
        StateStore s = store();
        assertThat(s.cursor("poll")).isEmpty();
        s.saveCursor("poll", "a");
        s.saveCursor("poll", "b");
        assertThat(otherHandle().cursor("poll")).contains("b");
        s.deleteCursor("poll");
        assertThat(s.cursor("poll")).isEmpty();

        assertThat(s.markProcessed("events", "c-1")).isTrue();
        assertThat(otherHandle().markProcessed("events", "c-1")).isFalse();
        assertThat(s.isProcessed("events", "c-1")).isTrue();
        assertThat(s.isProcessed("tasks", "c-1")).isFalse();
        assertThat(otherHandle().processedAt("events", "c-1"))
                .get()
                .satisfies(at ->
                        assertThat(Duration.between(at, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1)));
        assertThat(s.processedAt("tasks", "c-1")).isEmpty();

        s.updateQueryMembers(31, Set.of(1L, 2L, 3L), Set.of());
        s.updateQueryMembers(31, Set.of(3L, 4L), Set.of(1L));
        assertThat(otherHandle().queryMembers(31)).containsExactlyInAnyOrder(2L, 3L, 4L);
        assertThat(s.queryMembers(32)).isEmpty();
    }

    @Test
    public void quarantineCountsAttemptsAndReleases() {
        StateStore s = store();
        s.quarantine("contact", "9", "bad e-mail", T0);
        s.quarantine("contact", "9", "still bad", T0.plusSeconds(5));
        s.quarantine("email-event", "c-7", "no contact", T0.plusSeconds(1));
        List<QuarantinedRecord> list = otherHandle().quarantined();
        assertThat(list).extracting(QuarantinedRecord::id).containsExactly("c-7", "9");
        assertThat(list.get(1).attempts()).isEqualTo(2);
        assertThat(list.get(1).reason()).isEqualTo("still bad");
        s.release("contact", "9");
        assertThat(s.quarantined()).extracting(QuarantinedRecord::id).containsExactly("c-7");
    }

    @Test
    public void leasesGoToOneOwnerUntilReleased() {
        StateStore s = store();
        assertThat(s.tryLease("fullSync", "a", T0, Duration.ofMinutes(5))).isTrue();
        assertThat(otherHandle().tryLease("fullSync", "b", T0.plusSeconds(60), Duration.ofMinutes(5)))
                .isFalse();
        assertThat(s.tryLease("fullSync", "a", T0.plusSeconds(60), Duration.ofMinutes(5)))
                .as("renewal")
                .isTrue();
        assertThat(otherHandle().tryLease("poll", "b", T0.plusSeconds(60), Duration.ofMinutes(5)))
                .as("another job")
                .isTrue();
        s.releaseLease("fullSync", "a");
        assertThat(otherHandle().tryLease("fullSync", "b", T0.plusSeconds(61), Duration.ofMinutes(5)))
                .isTrue();
        otherHandle().releaseLease("fullSync", "b");
        assertThat(s.tryLease("fullSync", "c", T0.plusSeconds(62), Duration.ofMinutes(5)))
                .isTrue();
    }

    /**
     * Whether this store's leases end by time (rows with an expiry); stores whose leases end with
     * their holder's connection or process test that instead.
     */
    protected boolean leasesExpireByTime() {
        return true;
    }

    @Test
    public void aLeaseNotRenewedRunsOutOnlyWhereLeasesEndByTime() {
        StateStore s = store();
        assertThat(s.tryLease("fullSync", "a", T0, Duration.ofSeconds(30))).isTrue();
        assertThat(otherHandle().tryLease("fullSync", "b", T0.plusSeconds(29), Duration.ofSeconds(30)))
                .isFalse();
        if (leasesExpireByTime()) {
            assertThat(otherHandle().tryLease("fullSync", "b", T0.plusSeconds(31), Duration.ofSeconds(30)))
                    .as("expired")
                    .isTrue();
            assertThat(s.tryLease("fullSync", "a", T0.plusSeconds(32), Duration.ofSeconds(30)))
                    .as("lost")
                    .isFalse();
        } else {
            // Held by a live connection or process: time alone frees nothing.
            assertThat(otherHandle().tryLease("fullSync", "b", T0.plusSeconds(3_600), Duration.ofSeconds(30)))
                    .isFalse();
            assertThat(s.tryLease("fullSync", "a", T0.plusSeconds(3_600), Duration.ofSeconds(30)))
                    .as("still held")
                    .isTrue();
        }
    }
}

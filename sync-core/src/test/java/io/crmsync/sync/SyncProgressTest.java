package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.sync.SyncEngineRunsTest.CrashingStore;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's progress events (#24): what a run read, wrote and quarantined, and the total a full
 * sync can expect: what the last complete full sync read, never a guess.
 */
class SyncProgressTest {

    private final Emulated env = new Emulated(600);
    private final List<SyncProgress> events = new CopyOnWriteArrayList<>();
    private final List<Long> oldStyle = new CopyOnWriteArrayList<>();
    private final SyncListener listener = SyncListener.composite(
            new SyncListener() {
                @Override
                public void progress(SyncProgress p) {
                    events.add(p);
                }
            },
            new SyncListener() {
                @Override
                public void progress(Job job, long seen) {
                    oldStyle.add(seen);
                }
            });

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void aFullSyncExpectsWhatTheLastCompleteOneReadAndCountsWritesAndQuarantine() {
        CrashingStore store = new CrashingStore(2);
        FullSyncOptions options =
                FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE).withPageSize(200);
        try (SyncEngine engine = env.engine(b -> b.stateStore(store).listener(listener))) {
            assertThatThrownBy(() -> engine.fullSync(options)).hasMessageContaining("simulated crash");
            store.crashAt = -1;
            events.clear();
            engine.fullSync(options);
            assertThat(events)
                    .as("a resumed run cannot know how many are left")
                    .allSatisfy(p -> assertThat(p.expected()).isEmpty());

            events.clear();
            SyncReport first = engine.fullSync(options);
            assertThat(events)
                    .as("the resumed run read only what was left")
                    .allSatisfy(p -> assertThat(p.expected()).isEmpty());

            events.clear();
            engine.fullSync(options);
            assertThat(events).isNotEmpty().allSatisfy(p -> {
                assertThat(p.job()).isEqualTo(Job.FULL_SYNC);
                assertThat(p.expected()).isEqualTo(OptionalLong.of(first.seen()));
            });
            assertThat(first.seen()).isEqualTo(600);
        }
        assertThat(oldStyle).as("a listener of the old event is still told").isNotEmpty();
    }

    @Test
    void progressCountsWhatWasWrittenAndQuarantined() {
        try (SyncEngine engine = env.engine(b -> b.listener(listener))) {
            SyncReport r = engine.fullSync(
                    FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE).withPageSize(200));
            SyncProgress last = events.get(events.size() - 1);
            assertThat(last.seen()).isEqualTo(r.seen());
            assertThat(last.written()).isEqualTo(r.created() + r.updated() + r.deleted());
            assertThat(last.quarantined()).isEqualTo(r.quarantined().size()).isPositive();
            assertThat(last.expected()).as("a first full sync knows no total").isEmpty();
        }
    }
}

package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.apsis.error.ApsisServerException;
import io.crmsync.testkit.http.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncEngineLifecycleTest {

    private final Emulated env = new Emulated(300);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final SyncListener recording = new SyncListener() {
        @Override
        public void runStarted(Job job) {
            events.add("started " + job.id());
        }

        @Override
        public void runFinished(SyncReport report) {
            events.add("finished " + report.job());
        }

        @Override
        public void runFailed(Job job, SyncReport partial, Throwable error) {
            events.add("failed " + job.id() + " after " + partial.seen() + " "
                    + error.getClass().getSimpleName());
        }
    };

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void everyStartedRunEndsInExactlyOneFinishedOrFailedEvent() {
        try (SyncEngine engine = env.engine(b -> b.listener(recording).concurrency(1))) {
            engine.fullSync(FullSyncOptions.defaults().withPageSize(100));
            env.apsis.faults().next(10_000, "/profiles", Fault.status(503));
            env.efficy.updateContact(7, Map.of("NAME", "Changed"));
            assertThatThrownBy(() -> engine.syncContact(7)).isInstanceOf(ApsisServerException.class);
        }

        assertThat(events)
                .containsExactly(
                        "started fullSync",
                        "finished fullSync",
                        "started syncContact",
                        "failed syncContact after 1 ApsisServerException");
    }

    @Test
    void aJobThatCannotStartSendsNoEventAndOneEngineRunsAJobOnceAtATime() throws Exception {
        env.efficy.faults().next(2, "/crm/json", Fault.delay(Duration.ofMillis(500)));
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (SyncEngine engine = env.engine(b -> b.listener(recording))) {
            Future<SyncReport> first = pool.submit(() -> engine.fullSync(FullSyncOptions.defaults()));
            waitFor(() -> events.contains("started fullSync"));

            assertThatThrownBy(() -> engine.fullSync(FullSyncOptions.defaults()))
                    .isInstanceOf(JobAlreadyRunningException.class)
                    .satisfies(e -> assertThat(((JobAlreadyRunningException) e).isRetryable())
                            .isTrue());
            assertThat(first.get(30, TimeUnit.SECONDS).created()).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(events).containsExactly("started fullSync", "finished fullSync");
    }

    @Test
    void aCompositeListenerPassesEveryEventOnEvenWhenOneThrows() {
        SyncListener throwing = new SyncListener() {
            @Override
            public void runStarted(Job job) {
                throw new IllegalStateException("a broken listener");
            }
        };
        try (SyncEngine engine = env.engine(b -> b.listener(SyncListener.composite(throwing, recording)))) {
            engine.syncContact(3);
        }
        assertThat(events).containsExactly("started syncContact", "finished syncContact");
    }

    @Test
    void writesRunOnTheHostsExecutorWhichCloseLeavesRunning() {
        List<String> threads = new CopyOnWriteArrayList<>();
        ExecutorService host = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "host-thread");
            t.setDaemon(true);
            return t;
        });
        SyncListener whereQuarantined = new SyncListener() {
            @Override
            public void quarantined(String kind, String id, String reason) {
                threads.add(Thread.currentThread().getName());
            }
        };
        try (SyncEngine engine = env.engine(b -> b.executor(host).listener(whereQuarantined))) {
            engine.fullSync(FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE));
        }
        assertThat(threads).isNotEmpty().allSatisfy(name -> assertThat(name).isEqualTo("host-thread"));
        assertThat(host.isShutdown()).isFalse();
        host.shutdownNow();
    }

    @Test
    void closeStopsTheRunInFlightAtItsNextSafePointAndReturnsOnlyOnceItEnded() throws Exception {
        env.efficy.faults().next(3, "/crm/json", Fault.delay(Duration.ofMillis(300)));
        ExecutorService pool = Executors.newFixedThreadPool(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        SyncEngine engine = env.engine(b -> b.listener(new SyncListener() {
            @Override
            public void runStarted(Job job) {
                started.countDown();
            }

            @Override
            public void runFailed(Job job, SyncReport partial, Throwable error) {
                finished.set(error instanceof RunStoppedException);
            }
        }));
        try {
            Future<SyncReport> running =
                    pool.submit(() -> engine.fullSync(FullSyncOptions.defaults().withPageSize(100)));
            assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

            engine.close();

            assertThat(finished).as("close returned only after the run stopped").isTrue();
            assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RunStoppedException.class);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 400 && !condition.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}

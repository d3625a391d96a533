package io.crmsync.sync;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress and outcome events of the engine, for progress lines and metrics. Events are paired,
 * as OkHttp's: every {@link #runStarted} ends in exactly one {@link #runFinished} or
 * {@link #runFailed}, the latter with the partial report of what the run did before it failed.
 *
 * <p>Called on engine threads (sometimes several at once); must be fast and must not throw (an
 * exception is logged and ignored). All methods default to doing nothing. Several listeners
 * combine with {@link #composite}.
 *
 * <pre>{@code
 * SyncListener failures = new SyncListener() {
 *   public void runFailed(Job job, SyncReport partial, Throwable error) {
 *     failedRuns.increment(job.id());
 *   }
 * };
 * SyncEngine.builder().listener(SyncListener.composite(progressLine, failures));
 * }</pre>
 */
public interface SyncListener {

    /** A listener that ignores everything. */
    SyncListener NONE = new SyncListener() {};

    /** A run started. */
    default void runStarted(Job job) {}

    /** A page (or import batch, or export window) was committed; {@code seen} counts so far. */
    default void progress(Job job, long seen) {}

    /**
     * A page was committed, with what the run read, wrote and quarantined so far. The engine calls
     * this one; the default passes {@link #progress(Job, long)} on, so a listener written before it
     * existed is still told.
     *
     * @since 0.2.0
     */
    default void progress(SyncProgress progress) {
        progress(progress.job(), progress.seen());
    }

    /** A record was quarantined. */
    default void quarantined(String kind, String id, String reason) {}

    /** A run finished; the report says what it did. */
    default void runFinished(SyncReport report) {}

    /**
     * A run failed (or could not start: another instance holds its lease); {@code partial} counts
     * what it did before.
     */
    default void runFailed(Job job, SyncReport partial, Throwable error) {}

    /**
     * One listener that passes every event to each of {@code listeners}, in order; one that throws
     * does not keep the others from the event.
     */
    static SyncListener composite(SyncListener... listeners) {
        List<SyncListener> all = List.of(listeners);
        Logger log = LoggerFactory.getLogger(SyncListener.class);
        return new SyncListener() {
            private void each(Consumer<SyncListener> event) {
                for (SyncListener l : all) {
                    try {
                        event.accept(l);
                    } catch (RuntimeException e) {
                        log.warn(
                                "SyncListener {} threw {}; ignored",
                                l.getClass().getName(),
                                e.getClass().getName());
                    }
                }
            }

            @Override
            public void runStarted(Job job) {
                each(l -> l.runStarted(job));
            }

            @Override
            public void progress(Job job, long seen) {
                each(l -> l.progress(job, seen));
            }

            @Override
            public void progress(SyncProgress progress) {
                each(l -> l.progress(progress));
            }

            @Override
            public void quarantined(String kind, String id, String reason) {
                each(l -> l.quarantined(kind, id, reason));
            }

            @Override
            public void runFinished(SyncReport report) {
                each(l -> l.runFinished(report));
            }

            @Override
            public void runFailed(Job job, SyncReport partial, Throwable error) {
                each(l -> l.runFailed(job, partial, error));
            }
        };
    }
}

package io.crmsync.micrometer;

import io.crmsync.apsis.ApsisListener;
import io.crmsync.apsis.error.ApsisException;
import io.crmsync.efficy.EfficyListener;
import io.crmsync.efficy.error.EfficyException;
import io.crmsync.sync.Job;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.state.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Binds crmsync to a Micrometer {@link MeterRegistry}: listeners to give the two clients and the
 * engine when building them, and gauges over the state store. One instance per engine; tag it
 * (for example with a tenant) through {@link #of(MeterRegistry, Iterable)}.
 *
 * <p>Meters (names in Micrometer's dotted form; Prometheus shows {@code crmsync_client_requests_seconds}
 * and so on):
 * <ul>
 *   <li>{@code crmsync.client.requests} (timer): every request attempt, tagged {@code service}
 *       (efficy, apsis), {@code route} (the Efficy operation or the APSIS route template, never a
 *       key or an address), {@code outcome} (success, client_error, server_error, transport) and
 *       {@code status};
 *   <li>{@code crmsync.client.throttled} (timer): waits for a rate limit or a 429, by route;
 *   <li>{@code crmsync.runs} (timer): runs by {@code job} and {@code outcome} (finished, failed);
 *   <li>{@code crmsync.contacts} (counter): contacts by {@code job} and {@code change} (created,
 *       updated, unchanged, deleted, quarantined), from each run's report, failed runs' partial
 *       reports included;
 *   <li>{@code crmsync.quarantined} (gauge): records in quarantine, read from the store when it is
 *       bound and again at the end of each run, on the run's thread: a scrape never reads the
 *       store, so {@code /metrics} answers at once while the database is away;
 *   <li>{@code crmsync.poll.lag} (gauge, seconds): time since the last poll that finished; NaN
 *       before the first.
 * </ul>
 *
 * <pre>{@code
 * CrmsyncMetrics metrics = CrmsyncMetrics.of(registry);
 * EfficyClient efficy = EfficyClient.builder()...listener(metrics.efficyListener()).build();
 * ApsisClient apsis = ApsisClient.builder()...listener(metrics.apsisListener()).build();
 * SyncEngine engine = SyncEngine.builder().efficy(efficy).apsis(apsis)...listener(metrics.syncListener()).build();
 * metrics.bindStateStore(engine.stateStore());
 * }</pre>
 */
public final class CrmsyncMetrics {

    private final MeterRegistry registry;
    private final Tags common;
    private final Clock clock;
    private final AtomicReference<Instant> lastPoll = new AtomicReference<>();
    private final List<QuarantineCount> quarantines = new CopyOnWriteArrayList<>();

    private CrmsyncMetrics(MeterRegistry registry, Tags common, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.common = common;
        this.clock = clock;
        Gauge.builder("crmsync.poll.lag", this, CrmsyncMetrics::pollLagSeconds)
                .strongReference(true)
                .tags(common)
                .baseUnit("seconds")
                .description("Seconds since the last change poll finished")
                .register(registry);
    }

    /** Metrics in {@code registry} with no extra tags. */
    public static CrmsyncMetrics of(MeterRegistry registry) {
        return new CrmsyncMetrics(registry, Tags.empty(), Clock.systemUTC());
    }

    /** Metrics in {@code registry}, every meter carrying {@code tags} (for example a tenant). */
    public static CrmsyncMetrics of(MeterRegistry registry, Iterable<Tag> tags) {
        return new CrmsyncMetrics(registry, Tags.of(tags), Clock.systemUTC());
    }

    /** As {@link #of(MeterRegistry, Iterable)}, with the clock of the poll-lag gauge (for tests). */
    static CrmsyncMetrics of(MeterRegistry registry, Iterable<Tag> tags, Clock clock) {
        return new CrmsyncMetrics(registry, Tags.of(tags), clock);
    }

    /** The registry the meters are in. */
    public MeterRegistry registry() {
        return registry;
    }

    private double pollLagSeconds() {
        Instant at = lastPoll.get();
        return at == null ? Double.NaN : Duration.between(at, clock.instant()).toMillis() / 1000.0;
    }

    private void request(String service, String route, int status, String outcome, Duration elapsed) {
        Timer.builder("crmsync.client.requests")
                .description("Request attempts to Efficy and APSIS")
                .tags(common)
                .tag("service", service)
                .tag("route", route)
                .tag("outcome", outcome)
                .tag("status", status == 0 ? "none" : Integer.toString(status))
                .register(registry)
                .record(elapsed);
    }

    /** The outcome tag of a failed attempt: no answer, a 5xx, or anything else the client refused. */
    private static String failure(int status) {
        if (status == 0) {
            return "transport";
        }
        return status >= 500 ? "server_error" : "client_error";
    }

    /** The listener to give {@code EfficyClient.Builder.listener}. */
    public EfficyListener efficyListener() {
        return new EfficyListener() {
            @Override
            public void requestEnd(String operation, String requestId, int attempt, int httpStatus, Duration elapsed) {
                request("efficy", operation, httpStatus, "success", elapsed);
            }

            @Override
            public void requestFailed(
                    String operation, String requestId, int attempt, EfficyException failure, Duration elapsed) {
                int status = failure.httpStatus().orElse(0);
                request("efficy", operation, status, failure(status), elapsed);
            }
        };
    }

    /** The listener to give {@code ApsisClient.Builder.listener}. */
    public ApsisListener apsisListener() {
        return new ApsisListener() {
            @Override
            public void requestEnd(String route, String requestId, int attempt, int status, Duration elapsed) {
                request("apsis", route, status, "success", elapsed);
            }

            @Override
            public void requestFailed(
                    String route, String requestId, int attempt, ApsisException failure, Duration elapsed) {
                int status = failure.httpStatus().orElse(0);
                request("apsis", route, status, failure(status), elapsed);
            }

            @Override
            public void throttled(String route, String requestId, Duration wait) {
                Timer.builder("crmsync.client.throttled")
                        .description("Waits for a rate limit or a 429")
                        .tags(common)
                        .tag("service", "apsis")
                        .tag("route", route)
                        .register(registry)
                        .record(wait);
            }
        };
    }

    /** The listener to give {@code SyncEngine.Builder.listener}. */
    public SyncListener syncListener() {
        return new SyncListener() {
            @Override
            public void runFinished(SyncReport report) {
                run(report, "finished");
                quarantines.forEach(QuarantineCount::refresh);
                if (report.job().equals(Job.POLL.id())) {
                    lastPoll.set(clock.instant());
                }
            }

            @Override
            public void runFailed(Job job, SyncReport partial, Throwable error) {
                run(partial, "failed");
                quarantines.forEach(QuarantineCount::refresh);
            }
        };
    }

    private void run(SyncReport report, String outcome) {
        Timer.builder("crmsync.runs")
                .description("Engine runs")
                .tags(common)
                .tag("job", report.job())
                .tag("outcome", outcome)
                .register(registry)
                .record(report.duration());
        contacts(report.job(), "created", report.created());
        contacts(report.job(), "updated", report.updated());
        contacts(report.job(), "unchanged", report.unchanged());
        contacts(report.job(), "deleted", report.deleted());
        contacts(report.job(), "quarantined", report.quarantined().size());
    }

    private void contacts(String job, String change, long count) {
        Counter counter = Counter.builder("crmsync.contacts")
                .description("Contacts by what a run did with them")
                .tags(common)
                .tag("job", job)
                .tag("change", change)
                .register(registry);
        if (count > 0) {
            counter.increment(count);
        }
    }

    /**
     * Registers the gauge of quarantined records over the engine's store: read now, then at the end
     * of each run this instance's {@link #syncListener()} sees.
     */
    public CrmsyncMetrics bindStateStore(StateStore store) {
        Objects.requireNonNull(store, "store");
        QuarantineCount count = new QuarantineCount(store);
        count.refresh();
        quarantines.add(count);
        Gauge.builder("crmsync.quarantined", count, QuarantineCount::value)
                .strongReference(true)
                .tags(common)
                .description("Records in quarantine")
                .register(registry);
        return this;
    }

    /** The quarantine's size as last read; a scrape only reads this. */
    private static final class QuarantineCount {
        private final StateStore store;
        private volatile double value = Double.NaN;

        QuarantineCount(StateStore store) {
            this.store = store;
        }

        void refresh() {
            try {
                value = store.quarantined().size();
            } catch (RuntimeException e) {
                // the store is away: the last count stands until the next run's end
            }
        }

        double value() {
            return value;
        }
    }
}

package io.crmsync.config.progress;

import io.crmsync.sync.Job;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.SyncProgress;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * A full sync's live progress line on a terminal: contacts read (of how many, when known), written
 * and quarantined, the rate, and the time left. Honest from the first seconds:
 * <ul>
 *   <li>the rate is measured from the first committed page, over the last {@value #WINDOW_SECONDS} s,
 *       not since the start, so the slow first page (connections, the first import) does not
 *       inflate the ETA;
 *   <li>no ETA until the rate has been measured over {@value #MEASURE_SECONDS} s ("measuring");
 *   <li>no ETA without a total: Efficy gives no count, so the total is what the last complete full
 *       sync read ("of about N"); a first full sync, or one resumed after a crash, shows the rate
 *       and says why there is no ETA.
 * </ul>
 * Redrawn at most every 250 ms with {@code \r}; {@link #finish()} clears it. Thread-safe.
 *
 * <pre>{@code
 * ProgressLine line = new ProgressLine(System.err);
 * SyncEngine engine = cfg.engine(efficy, apsis, store, SyncListener.composite(metrics, line));
 * engine.fullSync(FullSyncOptions.defaults());
 * line.finish();
 * }</pre>
 */
public final class ProgressLine implements SyncListener {

    /** Seconds of progress the rate is measured over. */
    public static final int WINDOW_SECONDS = 10;

    /** Seconds of measuring before an ETA is shown. */
    public static final int MEASURE_SECONDS = 2;

    private record Sample(long nanos, long seen) {}

    private final PrintStream out;
    private final LongSupplier nanos;
    private final Deque<Sample> window = new ArrayDeque<>();
    private volatile long total = -1;
    private long lastDrawn;
    private boolean drawn;
    private int width;

    /** A line on {@code out} (a terminal: standard error, so standard output keeps the report). */
    public ProgressLine(PrintStream out) {
        this(out, System::nanoTime);
    }

    /** A line on a clock (tests). */
    public ProgressLine(PrintStream out, LongSupplier nanos) {
        this.out = Objects.requireNonNull(out, "out");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
    }

    /**
     * Uses a total the host knows (it seeded the contacts, say) instead of the last full sync's
     * count; returns this line.
     */
    public ProgressLine total(long contacts) {
        this.total = contacts;
        return this;
    }

    @Override
    public synchronized void runStarted(Job job) {
        if (job == Job.FULL_SYNC) {
            window.clear();
            drawn = false;
        }
    }

    @Override
    public synchronized void progress(SyncProgress p) {
        if (p.job() != Job.FULL_SYNC) {
            return;
        }
        long now = nanos.getAsLong();
        window.add(new Sample(now, p.seen()));
        while (window.size() > 2 && now - window.peekFirst().nanos() > WINDOW_SECONDS * 1_000_000_000L) {
            window.removeFirst();
        }
        if (!drawn || now - lastDrawn >= 250_000_000L) {
            drawn = true;
            lastDrawn = now;
            draw(describe(p, now));
        }
    }

    /** The line for a progress event, as drawn. */
    synchronized String describe(SyncProgress given, long now) {
        SyncProgress p = total < 0
                ? given
                : new SyncProgress(
                        given.job(),
                        given.startedAt(),
                        given.seen(),
                        given.written(),
                        given.quarantined(),
                        OptionalLong.of(total));
        StringBuilder b = new StringBuilder("full sync: read ").append(String.format("%,d", p.seen()));
        p.expected().ifPresent(total -> b.append(String.format(" of about %,d", total)));
        b.append(String.format(" · written %,d · quarantined %,d", p.written(), p.quarantined()));
        Sample first = window.peekFirst();
        double seconds = first == null ? 0 : (now - first.nanos()) / 1e9;
        if (seconds <= 0 || p.seen() == first.seen()) {
            return b.append(" · measuring").toString();
        }
        double rate = (p.seen() - first.seen()) / seconds;
        b.append(String.format(" · %,.0f/s", rate));
        if (p.expected().isEmpty()) {
            return b.append(" · no ETA: no earlier complete full sync counted the contacts")
                    .toString();
        }
        if (seconds < MEASURE_SECONDS) {
            return b.append(" · ETA: measuring").toString();
        }
        long left = Math.max(0, p.expected().getAsLong() - p.seen());
        return b.append(" · ETA ").append(eta(left / rate)).toString();
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }

    private void draw(String line) {
        int pad = Math.max(0, width - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        width = line.length();
    }

    /** Clears the line (call when the run ends, before printing its report). */
    public synchronized void finish() {
        if (width > 0) {
            out.print("\r" + " ".repeat(width) + "\r");
            out.flush();
            width = 0;
        }
    }
}

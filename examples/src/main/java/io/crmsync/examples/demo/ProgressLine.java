package io.crmsync.examples.demo;

import io.crmsync.sync.Job;
import io.crmsync.sync.SyncListener;
import java.io.PrintStream;

/** A live progress line (count, rate, ETA) fed by the engine's listener. */
final class ProgressLine implements SyncListener {
    private final PrintStream out;
    private final long total;
    private volatile long started;
    private volatile boolean active;

    ProgressLine(PrintStream out, long total) {
        this.out = out;
        this.total = total;
    }

    void start() {
        started = System.nanoTime();
        active = true;
    }

    void finish() {
        active = false;
        out.print("\r" + " ".repeat(70) + "\r");
    }

    @Override
    public void progress(Job job, long seen) {
        if (!active || job != Job.FULL_SYNC) {
            return;
        }
        double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
        double rate = seen / seconds;
        long eta = rate > 0 ? Math.round((total - seen) / rate) : 0;
        out.printf(
                "\r  full sync: %,d / %,d contacts  %,.0f contacts/s  ETA %d s   ",
                seen, total, rate, Math.max(0, eta));
        out.flush();
    }
}

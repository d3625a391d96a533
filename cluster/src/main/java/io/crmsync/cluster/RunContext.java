package io.crmsync.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Names what a scheduler thread is doing while it runs a tenant's job, so that every log line of
 * the run says which tenant, job and run it belongs to: in the thread's name (which the CLI's log
 * prints on every line) and in the MDC ({@code crmsync.tenant}, {@code crmsync.job},
 * {@code crmsync.run}) for hosts whose log layout shows it. Closing it puts the thread back as it
 * was. Package-private.
 */
final class RunContext implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);

    private final Thread thread = Thread.currentThread();
    private final String name = thread.getName();
    private final long start = System.nanoTime();
    private final String tenant;
    private final String job;
    private final List<Consumer<FinishedRun>> listeners;
    private String outcome = "failed";

    private RunContext(String tenant, String job, long run, List<Consumer<FinishedRun>> listeners) {
        this.tenant = tenant;
        this.job = job;
        this.listeners = listeners;
        thread.setName("tenant " + tenant + " " + job + (run >= 0 ? " run " + run : ""));
        MDC.put("crmsync.tenant", tenant);
        MDC.put("crmsync.job", job);
        if (run >= 0) {
            MDC.put("crmsync.run", Long.toString(run));
        }
    }

    /**
     * Enters a run's context; {@code run} is its journal id, or -1 for work that is not journalled.
     * {@code listeners} hear how the run ended when it closes.
     */
    static RunContext enter(String tenant, String job, long run, List<Consumer<FinishedRun>> listeners) {
        return new RunContext(tenant, job, run, listeners);
    }

    /** Records how the run ended (until then: failed), and counts it in {@code counter}. */
    void ended(String how, AtomicLong counter) {
        outcome = how;
        counter.incrementAndGet();
    }

    @Override
    public void close() {
        FinishedRun finished = new FinishedRun(tenant, job, outcome, Duration.ofNanos(System.nanoTime() - start));
        for (Consumer<FinishedRun> l : listeners) {
            try {
                l.accept(finished);
            } catch (RuntimeException e) {
                LOG.warn("a run-end listener failed: {}", e.toString());
            }
        }
        MDC.remove("crmsync.tenant");
        MDC.remove("crmsync.job");
        MDC.remove("crmsync.run");
        thread.setName(name);
    }
}

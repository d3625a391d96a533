package io.crmsync.cluster;

import org.slf4j.MDC;

/**
 * Names what a scheduler thread is doing while it runs a tenant's job, so that every log line of
 * the run says which tenant, job and run it belongs to: in the thread's name (which the CLI's log
 * prints on every line) and in the MDC ({@code crmsync.tenant}, {@code crmsync.job},
 * {@code crmsync.run}) for hosts whose log layout shows it. Closing it puts the thread back as it
 * was. Package-private.
 */
final class RunContext implements AutoCloseable {

    private final Thread thread = Thread.currentThread();
    private final String name = thread.getName();

    private RunContext(String tenant, String job, long run) {
        thread.setName("tenant " + tenant + " " + job + (run >= 0 ? " run " + run : ""));
        MDC.put("crmsync.tenant", tenant);
        MDC.put("crmsync.job", job);
        if (run >= 0) {
            MDC.put("crmsync.run", Long.toString(run));
        }
    }

    /** Enters a run's context; {@code run} is its journal id, or -1 for work that is not journalled. */
    static RunContext enter(String tenant, String job, long run) {
        return new RunContext(tenant, job, run);
    }

    @Override
    public void close() {
        MDC.remove("crmsync.tenant");
        MDC.remove("crmsync.job");
        MDC.remove("crmsync.run");
        thread.setName(name);
    }
}

package io.crmsync.sync;

import io.crmsync.client.CrmsyncException;

/**
 * A run stopped at a safe point before its next write or checkpoint: its lease was lost (another
 * instance took the job after this one could not renew in time, for example after a long pause or
 * a store outage) or the engine is closing. What the run committed stays committed; what it had
 * not, the next run does again. Retryable.
 */
public class RunStoppedException extends CrmsyncException {

    private static final long serialVersionUID = 1L;

    private final String job;

    /** Creates the exception for a job and the reason it stopped. */
    public RunStoppedException(String job, String reason) {
        super("run of " + job + " stopped before its next write: " + reason, 0, NO_REQUEST, null);
        this.job = job;
    }

    /** True: a later run continues from the last checkpoint. */
    @Override
    public boolean isRetryable() {
        return true;
    }

    /** The job's name. */
    public String job() {
        return job;
    }
}

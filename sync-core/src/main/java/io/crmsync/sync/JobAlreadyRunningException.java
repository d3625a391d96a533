package io.crmsync.sync;

import io.crmsync.client.CrmsyncException;

/**
 * Another engine instance holds the lease on this job (a poller, a full sync, a reverse sync), so
 * this call did nothing. Try again later; the lease expires if its holder dies. Retryable.
 */
public class JobAlreadyRunningException extends CrmsyncException {

    private static final long serialVersionUID = 1L;

    private final String job;

    /** Creates the exception for a job name. */
    public JobAlreadyRunningException(String job) {
        super("job " + job + " is running on another engine instance (its lease is held)", 0, NO_REQUEST, null);
        this.job = job;
    }

    /** True: the job can run once the other instance is done. */
    @Override
    public boolean isRetryable() {
        return true;
    }

    /** The job's name. */
    public String job() {
        return job;
    }
}

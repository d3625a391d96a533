package io.crmsync.sync;

import io.crmsync.client.CrmsyncException;

/**
 * A run ended early because many contacts in a row failed with passing errors (see
 * {@code SyncEngine.Builder.circuitBreakerThreshold}): the service looks down, so the run stops
 * instead of parking every remaining contact. What was committed stays committed; the failed
 * contacts are parked and the next run resumes from the last checkpoint. Retryable.
 */
public class CircuitOpenException extends CrmsyncException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the count and the last failure. */
    public CircuitOpenException(String job, int failures, Throwable last) {
        super(
                "run of " + job + " ended early: " + failures + " contacts in a row failed; the last with "
                        + last.getClass().getSimpleName() + ": " + last.getMessage(),
                0,
                NO_REQUEST,
                last);
    }

    /** True: the next run resumes once the service is back. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}

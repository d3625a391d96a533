package io.crmsync.sync;

import io.crmsync.client.CrmsyncException;

/**
 * A run stopped early because APSIS refused every write of one kind it tried (50 consent writes,
 * say, and not one accepted): the configuration is wrong for every contact, a consent channel or
 * an attribute APSIS does not have, and writing on would only quarantine every remaining contact.
 * The refused contacts are quarantined with APSIS's reason; what was committed stays committed.
 * Fix the configuration ({@code validateSetup()} names most such problems) and run again; not
 * retryable as it is.
 */
public class WritesRefusedException extends CrmsyncException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception naming the job, the kind of write, the count and APSIS's last reason. */
    public WritesRefusedException(String job, String kind, long refused, String lastReason) {
        super(
                "run of " + job + " stopped: APSIS refused all " + refused + " " + kind
                        + " writes it tried and accepted none; the last: " + lastReason
                        + " (check the configuration, then run again)",
                0,
                NO_REQUEST,
                null);
    }
}

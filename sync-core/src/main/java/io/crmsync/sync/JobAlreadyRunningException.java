package io.crmsync.sync;

/**
 * Another engine instance holds the lease on this job (a poller, a full sync, a reverse sync), so
 * this call did nothing. Try again later; the lease expires if its holder dies.
 */
public class JobAlreadyRunningException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String job;

  /** Creates the exception for a job name. */
  public JobAlreadyRunningException(String job) {
    super("job " + job + " is running on another engine instance (its lease is held)");
    this.job = job;
  }

  /** The job's name. */
  public String job() {
    return job;
  }
}

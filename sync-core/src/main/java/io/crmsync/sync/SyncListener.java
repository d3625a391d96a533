package io.crmsync.sync;

/**
 * Progress and outcome events of the engine, for progress lines and metrics. Called on engine
 * threads (sometimes several at once); must be fast and must not throw (an exception is logged
 * and ignored). All methods default to doing nothing.
 */
public interface SyncListener {

  /** A listener that ignores everything. */
  SyncListener NONE = new SyncListener() {};

  /** A run started. */
  default void runStarted(String job) {}

  /** A page (or import batch) was committed; {@code seen} counts contacts so far in the run. */
  default void progress(String job, long seen) {}

  /** A contact was quarantined. */
  default void quarantined(String kind, String id, String reason) {}

  /** A run finished. */
  default void runFinished(SyncReport report) {}
}

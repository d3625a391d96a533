package io.crmsync.sync;

/**
 * Options of a full sync.
 *
 * <p>Defaults: {@link SyncMode#AUTO}, not a dry run, pages of 500 contacts, imports of up to
 * 20,000 contacts each, imports used when a batch has at least 1,000 writes, contacts APSIS
 * refused not re-sent until they change.
 *
 * <pre>{@code
 * SyncReport report = engine.fullSync(FullSyncOptions.defaults().withMode(SyncMode.IMPORT));
 * }</pre>
 *
 * @param mode how to write
 * @param dryRun plan only: read and diff, write nothing, commit nothing
 * @param pageSize contacts per Efficy page
 * @param importBatchSize contacts per import (bounds the memory a batch holds)
 * @param importThreshold in AUTO mode, the writes a batch needs to go by import
 * @param retryQuarantined whether contacts APSIS refused are sent again even if unchanged
 *     (default false: they are retried once their content changes)
 */
public record FullSyncOptions(SyncMode mode, boolean dryRun, int pageSize, int importBatchSize, int importThreshold,
    boolean retryQuarantined) {

  /** Checks the numbers. */
  public FullSyncOptions {
    java.util.Objects.requireNonNull(mode, "mode");
    if (pageSize < 1 || pageSize > 10_000) {
      throw new IllegalArgumentException("pageSize must be 1..10000, was " + pageSize);
    }
    if (importBatchSize < 1) {
      throw new IllegalArgumentException("importBatchSize must be at least 1, was " + importBatchSize);
    }
    if (importThreshold < 1) {
      throw new IllegalArgumentException("importThreshold must be at least 1, was " + importThreshold);
    }
  }

  /** The defaults. */
  public static FullSyncOptions defaults() {
    return new FullSyncOptions(SyncMode.AUTO, false, 500, 20_000, 1_000, false);
  }

  /** A copy with another mode. */
  public FullSyncOptions withMode(SyncMode m) {
    return new FullSyncOptions(m, dryRun, pageSize, importBatchSize, importThreshold, retryQuarantined);
  }

  /** A copy that plans only. */
  public FullSyncOptions withDryRun(boolean d) {
    return new FullSyncOptions(mode, d, pageSize, importBatchSize, importThreshold, retryQuarantined);
  }

  /** A copy with another page size. */
  public FullSyncOptions withPageSize(int size) {
    return new FullSyncOptions(mode, dryRun, size, importBatchSize, importThreshold, retryQuarantined);
  }

  /** A copy that sends contacts APSIS refused again even when unchanged. */
  public FullSyncOptions withRetryQuarantined(boolean retry) {
    return new FullSyncOptions(mode, dryRun, pageSize, importBatchSize, importThreshold, retry);
  }

  /** A copy with other import sizes. */
  public FullSyncOptions withImports(int batchSize, int threshold) {
    return new FullSyncOptions(mode, dryRun, pageSize, batchSize, threshold, retryQuarantined);
  }
}

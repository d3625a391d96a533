package io.crmsync.sync.state;

/**
 * The role of a state store that remembers which events were processed, per namespace, so that
 * effects happen exactly once on top of at-least-once delivery (APSIS export rows, webhook
 * deliveries). Implementations are thread-safe; {@link #markProcessed} is atomic.
 */
public interface ProcessedEvents {

  /**
   * Marks an event id processed within a namespace.
   *
   * @return true if it was not processed before (this caller owns its effect)
   */
  boolean markProcessed(String namespace, String id);

  /** Whether an event id was processed. */
  boolean isProcessed(String namespace, String id);

  /**
   * When an event id was marked processed, if it was (by the store's clock): lets a caller tell
   * a claim still in flight from one whose holder died.
   */
  java.util.Optional<java.time.Instant> processedAt(String namespace, String id);
}

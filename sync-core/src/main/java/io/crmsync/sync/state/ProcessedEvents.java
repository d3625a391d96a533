package io.crmsync.sync.state;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

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
     * Which of several event ids were processed. This default asks one by one; a store that can do
     * better (one query per chunk) overrides it.
     *
     * @since 0.2.0
     */
    default Set<String> processedAmong(String namespace, Collection<String> ids) {
        Set<String> processed = new HashSet<>();
        for (String id : ids) {
            if (isProcessed(namespace, id)) {
                processed.add(id);
            }
        }
        return processed;
    }

    /**
     * Marks several event ids processed, as {@link #markProcessed} each (ids already marked stay as
     * they are). This default marks them one by one; a store that can do better (one batch per chunk)
     * overrides it.
     *
     * @since 0.2.0
     */
    default void markAllProcessed(String namespace, Collection<String> ids) {
        for (String id : ids) {
            markProcessed(namespace, id);
        }
    }

    /**
     * When an event id was marked processed, if it was (by the store's clock): lets a caller tell
     * a claim still in flight from one whose holder died.
     */
    Optional<Instant> processedAt(String namespace, String id);
}

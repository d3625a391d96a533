package io.crmsync.sync.state;

/**
 * Everything the engine remembers between calls and runs, as a combination of small roles:
 * per-contact snapshots ({@link SnapshotStore}, compare-and-set on their version, so two engines
 * never overwrite each other's update), named cursors and checkpoints ({@link CheckpointStore}),
 * processed-event ids for exactly-once effects on top of at-least-once delivery
 * ({@link ProcessedEvents}), quarantined records ({@link QuarantineLog}), leases, one runner per
 * job ({@link LeaseManager}), and stored-query memberships ({@link QueryMemberships}).
 *
 * <p>A plug-in store implements this interface (or extends
 * {@link ForwardingStateStore}) and proves itself with the same contract
 * tests as the shipped stores: {@code io.crmsync.sync.state.StateStoreContract} in the
 * {@code sync-core} test jar.
 *
 * <p>Shipped: {@link InMemoryStateStore} (tests, one process) and
 * {@link io.crmsync.sync.state.jdbc.JdbcStateStore} (H2 embedded, or PostgreSQL shared by several
 * instances). Implementations must be thread-safe.
 *
 * <pre>{@code
 * StateStore store = StateStore.inMemory();
 * StateStore shared = JdbcStateStore.create(dataSourceOrUrl);
 * }</pre>
 */
public interface StateStore
        extends SnapshotStore,
                CheckpointStore,
                ProcessedEvents,
                QuarantineLog,
                LeaseManager,
                QueryMemberships,
                AutoCloseable {

    /** A new in-memory store. */
    static StateStore inMemory() {
        return new InMemoryStateStore();
    }

    /**
     * Releases what the store holds (connections, a pool); the engine never calls it, since the
     * store is the host's. Does nothing by default.
     *
     * @since 0.2.0
     */
    @Override
    default void close() {}
}

package io.crmsync.examples.plugins;

import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.ForwardingStateStore;
import io.crmsync.sync.state.StateStore;
import java.io.PrintStream;
import java.time.Instant;

/**
 * A custom {@link StateStore} plug-in: wraps another store and writes an audit line for every
 * snapshot saved and every record quarantined (contact keys and reasons only, no personal data).
 * A store must keep the contract of compare-and-set saves and unique processed ids; extending
 * {@link ForwardingStateStore} keeps it for everything not overridden.
 *
 * <pre>{@code
 * StateStore store = new AuditingStateStore(JdbcStateStore.create(url), System.err);
 * }</pre>
 */
public final class AuditingStateStore extends ForwardingStateStore {

    private final PrintStream audit;

    /** Wraps {@code inner}, writing audit lines to {@code audit}. */
    public AuditingStateStore(StateStore inner, PrintStream audit) {
        super(inner);
        this.audit = audit;
    }

    @Override
    public boolean saveSnapshot(ContactSnapshot snapshot) {
        boolean saved = super.saveSnapshot(snapshot);
        audit.printf(
                "audit snapshot contact=%d version=%d saved=%s%n", snapshot.contactKey(), snapshot.version(), saved);
        return saved;
    }

    @Override
    public void quarantine(String kind, String id, String reason, Instant at, String payload) {
        super.quarantine(kind, id, reason, at, payload);
        audit.printf("audit quarantine %s=%s reason=%s%n", kind, id, reason);
    }
}

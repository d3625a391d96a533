package io.crmsync.examples.plugins;

import io.crmsync.sync.state.StateStore;
import io.crmsync.sync.state.StateStoreContract;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The plug-in example runs the published state-store contract, as any plug-in store can: the
 * {@code sync-core} test jar on the test class path and one method to say which store.
 */
class AuditingStateStoreContractTest extends StateStoreContract {

    private final StateStore store =
            new AuditingStateStore(StateStore.inMemory(), new PrintStream(OutputStream.nullOutputStream()));

    @Override
    protected StateStore store() {
        return store;
    }
}

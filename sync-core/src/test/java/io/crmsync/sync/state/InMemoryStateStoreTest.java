package io.crmsync.sync.state;

class InMemoryStateStoreTest extends StateStoreContract {

    private final StateStore store = new InMemoryStateStore();

    @Override
    protected StateStore store() {
        return store;
    }
}

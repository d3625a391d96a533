package io.crmsync.sync.state;

import io.crmsync.sync.StateStore;

class InMemoryStateStoreTest extends StateStoreContract {

  private final StateStore store = new InMemoryStateStore();

  @Override
  StateStore store() {
    return store;
  }
}

package io.crmsync.sync.state;

import io.crmsync.sync.StateStore;

class InMemoryStateStoreTest extends StateStoreContract {

  private final StateStore store = new InMemoryStateStore();

  @Override
  protected StateStore store() {
    return store;
  }
}

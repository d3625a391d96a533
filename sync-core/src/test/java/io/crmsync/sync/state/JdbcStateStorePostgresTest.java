package io.crmsync.sync.state;

import io.crmsync.sync.StateStore;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The store contract on PostgreSQL, each test in a fresh schema (see {@link Databases}). */
class JdbcStateStorePostgresTest extends StateStoreContract {

  private JdbcStateStore store;
  private JdbcStateStore other;

  @BeforeEach
  void open() {
    String url = Databases.postgres();
    store = JdbcStateStore.create(url);
    other = JdbcStateStore.create(url);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
      other.close();
    }
  }

  @Override
  protected StateStore store() {
    return store;
  }

  @Override
  protected StateStore otherHandle() {
    return other;
  }
}

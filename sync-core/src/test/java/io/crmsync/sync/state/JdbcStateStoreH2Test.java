package io.crmsync.sync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.sync.StateStore;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdbcStateStoreH2Test extends StateStoreContract {

  private final String url = Databases.h2();
  private final JdbcStateStore store = JdbcStateStore.create(url);
  private final JdbcStateStore other = JdbcStateStore.create(url);

  @AfterEach
  void close() {
    store.close();
    other.close();
  }

  @Override
  StateStore store() {
    return store;
  }

  @Override
  StateStore otherHandle() {
    return other;
  }

  @Test
  void aFileStoreKeepsItsStateAcrossRestarts() throws Exception {
    Path dir = Files.createTempDirectory("crmsync-h2");
    String fileUrl = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath();
    try (JdbcStateStore first = JdbcStateStore.create(fileUrl)) {
      first.saveSnapshot(snapshot(5, 1, "kept"));
      first.saveCursor("fullSync", "500");
    }
    try (JdbcStateStore second = JdbcStateStore.create(fileUrl)) {
      assertThat(second.snapshot(5).orElseThrow().fingerprint()).isEqualTo("kept");
      assertThat(second.cursor("fullSync")).contains("500");
    }
  }

  @Test
  void aNewerSchemaIsRefusedRatherThanMisread() throws Exception {
    try (var c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("insert into crmsync_schema (version) values (99)");
    }
    assertThatThrownBy(() -> JdbcStateStore.create(url)).hasMessageContaining("version 99");
  }
}

package io.crmsync.examples.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.sync.StateStore;
import io.crmsync.sync.mapping.ValueConverter;
import io.crmsync.sync.state.ContactSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PluginExamplesTest {

  @Test
  void propertiesMappingProviderReadsFieldsConvertersAndVersionsTheMapping() {
    Properties p = new Properties();
    p.setProperty("mapping.EMAIL1", "com.apsis1.attributes.email");
    p.setProperty("mapping.F_SCORE", "usercreated.attributes.score:number");
    PropertiesMappingProvider mapping = new PropertiesMappingProvider(p);
    assertThat(mapping.mappings()).hasSize(2);
    assertThat(mapping.forAttribute("usercreated.attributes.score").orElseThrow().converter())
        .isEqualTo(ValueConverter.NUMBER);
    String version = mapping.version();
    p.setProperty("mapping.NAME", "com.apsis1.attributes.lastname");
    assertThat(new PropertiesMappingProvider(p).version()).isNotEqualTo(version);

    p.setProperty("mapping.F_BAD", "x:COLOUR");
    assertThatThrownBy(() -> new PropertiesMappingProvider(p)).hasMessageContaining("mapping.F_BAD");
  }

  @Test
  void auditingStoreKeepsTheContractAndAudits() {
    ByteArrayOutputStream audit = new ByteArrayOutputStream();
    StateStore store = new AuditingStateStore(StateStore.inMemory(), new PrintStream(audit, true, StandardCharsets.UTF_8));
    ContactSnapshot s = new ContactSnapshot(5, 1, "f", Map.of(), Map.of(), true, true, Instant.EPOCH);
    assertThat(store.saveSnapshot(s)).isTrue();
    assertThat(store.saveSnapshot(s)).isFalse();
    store.quarantine("contact", "5", "bad e-mail", Instant.EPOCH);
    assertThat(audit.toString(StandardCharsets.UTF_8)).contains("audit snapshot contact=5 version=1 saved=true")
        .contains("saved=false").contains("audit quarantine contact=5 reason=bad e-mail");
    assertThat(store.quarantined()).hasSize(1);
  }
}

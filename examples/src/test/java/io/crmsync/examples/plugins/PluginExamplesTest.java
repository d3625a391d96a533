package io.crmsync.examples.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.StateStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginExamplesTest {

    @Test
    void auditingStoreKeepsTheContractAndAudits() {
        ByteArrayOutputStream audit = new ByteArrayOutputStream();
        StateStore store =
                new AuditingStateStore(StateStore.inMemory(), new PrintStream(audit, true, StandardCharsets.UTF_8));
        ContactSnapshot s = new ContactSnapshot(5, 1, "f", Map.of(), Map.of(), true, true, Instant.EPOCH);
        assertThat(store.saveSnapshot(s)).isTrue();
        assertThat(store.saveSnapshot(s)).isFalse();
        store.quarantine("contact", "5", "bad e-mail", Instant.EPOCH);
        assertThat(audit.toString(StandardCharsets.UTF_8))
                .contains("audit snapshot contact=5 version=1 saved=true")
                .contains("saved=false")
                .contains("audit quarantine contact=5 reason=bad e-mail");
        assertThat(store.quarantined()).hasSize(1);
    }
}

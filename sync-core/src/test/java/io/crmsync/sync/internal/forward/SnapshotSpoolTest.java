package io.crmsync.sync.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.sync.internal.plan.ContactPlan;
import io.crmsync.sync.state.ContactSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotSpoolTest {

    @TempDir
    Path dir;

    private static ContactSnapshot snapshot(long key, Map<String, Object> attributes, Map<String, Boolean> consents) {
        return ContactSnapshot.builder()
                .contactKey(key)
                .fingerprint("f" + key)
                .attributes(attributes)
                .consents(consents)
                .profileCreated(key % 2 == 0)
                .updatedAt(Instant.ofEpochSecond(1_800_000_000L + key, 123))
                .build();
    }

    @Test
    void entriesReadBackInOrderWithDigestsForValuesAndNamesOnceWritten() {
        List<SnapshotSpool.Entry> written = new ArrayList<>();
        for (long k = 1; k <= 2_500; k++) {
            Map<String, Object> attributes = k == 2_000
                    ? Map.of("com.apsis1.attributes.email", "a" + k + "@example.be", "late.attribute", 7)
                    : Map.of("com.apsis1.attributes.email", "a" + k + "@example.be");
            written.add(new SnapshotSpool.Entry(
                    snapshot(k, attributes, Map.of("news|email", k % 3 == 0)),
                    k % 2 == 0 ? ContactPlan.Outcome.CREATE : ContactPlan.Outcome.UPDATE,
                    (int) (k % 5)));
        }
        Path file;
        try (SnapshotSpool.Writer w = SnapshotSpool.create(dir)) {
            written.forEach(w::write);
            file = w.file();
        }
        assertThat(file).exists();

        List<SnapshotSpool.Entry> read = new ArrayList<>();
        try (SnapshotSpool.Reader r = new SnapshotSpool.Reader(file)) {
            for (List<SnapshotSpool.Entry> chunk = r.next(1_000); !chunk.isEmpty(); chunk = r.next(1_000)) {
                read.addAll(chunk);
            }
        }

        assertThat(read).hasSize(written.size());
        for (int i = 0; i < read.size(); i++) {
            ContactSnapshot w = written.get(i).next();
            ContactSnapshot r = read.get(i).next();
            assertThat(r.contactKey()).isEqualTo(w.contactKey());
            assertThat(r.fingerprint()).isEqualTo(w.fingerprint());
            assertThat(r.updatedAt()).isEqualTo(w.updatedAt());
            assertThat(r.consents()).isEqualTo(w.consents());
            assertThat(r.profileCreated()).isEqualTo(w.profileCreated());
            assertThat(r.attributes().keySet()).isEqualTo(w.attributes().keySet());
            w.attributes()
                    .forEach((name, value) -> assertThat(
                                    ContactSnapshot.sameValue(r.attributes().get(name), value))
                            .isTrue());
            assertThat(read.get(i).outcome()).isEqualTo(written.get(i).outcome());
            assertThat(read.get(i).consentChanges()).isEqualTo(written.get(i).consentChanges());
        }
        assertThat(read.get(1_999).next().attributes()).containsKey("late.attribute");
    }

    @Test
    void theSpoolHoldsNoAddressInClear() throws Exception {
        Path file;
        try (SnapshotSpool.Writer w = SnapshotSpool.create(dir)) {
            w.write(new SnapshotSpool.Entry(
                    snapshot(1, Map.of("com.apsis1.attributes.email", "anna@example.be"), Map.of()),
                    ContactPlan.Outcome.CREATE,
                    0));
            file = w.file();
        }
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                .doesNotContain("anna@example.be");
    }
}

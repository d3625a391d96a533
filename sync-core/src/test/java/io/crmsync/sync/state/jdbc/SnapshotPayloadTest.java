package io.crmsync.sync.state.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.sync.state.ContactSnapshot;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotPayloadTest {

    private static final Instant AT = Instant.parse("2026-12-05T07:00:00Z");

    @Test
    void aWrittenSnapshotReadsBackWithDigestsForValues() {
        ContactSnapshot s = ContactSnapshot.builder()
                .contactKey(7)
                .version(3)
                .fingerprint("f")
                .attributes(Map.of(
                        "com.apsis1.attributes.email", "anna@example.be", "tier \"gold\"", 5, "zo\u00eb\n\\", true))
                .consents(Map.of("news|email", true, "offers|sms", false))
                .matched(true)
                .profileCreated(true)
                .updatedAt(AT)
                .build();
        String json = SnapshotPayload.write(s);
        assertThat(json).doesNotContain("anna@example.be");

        ContactSnapshot read = SnapshotPayload.read(7, 3, "f", json, AT);

        assertThat(read.attributes())
                .containsEntry("com.apsis1.attributes.email", ContactSnapshot.digest("anna@example.be"))
                .containsEntry("tier \"gold\"", ContactSnapshot.digest(5))
                .containsEntry("zo\u00eb\n\\", ContactSnapshot.digest(true));
        assertThat(read.consents()).isEqualTo(Map.of("news|email", true, "offers|sms", false));
        assertThat(read.matched()).isTrue();
        assertThat(read.profileCreated()).isTrue();
        assertThat(ContactSnapshot.sameValue(read.attributes().get("tier \"gold\""), 5L))
                .isTrue();
    }

    @Test
    void emptyAndOneSidedSnapshotsReadBack() {
        for (ContactSnapshot s : new ContactSnapshot[] {
            ContactSnapshot.builder()
                    .contactKey(1)
                    .fingerprint("f")
                    .updatedAt(AT)
                    .matched(false)
                    .build(),
            ContactSnapshot.builder()
                    .contactKey(2)
                    .fingerprint("f")
                    .updatedAt(AT)
                    .consents(Map.of("news|email", false))
                    .profileCreated(true)
                    .build(),
            ContactSnapshot.builder()
                    .contactKey(3)
                    .fingerprint("f")
                    .updatedAt(AT)
                    .attributes(Map.of("a", "x", "b", "y"))
                    .build()
        }) {
            ContactSnapshot read = SnapshotPayload.read(s.contactKey(), 1, "f", SnapshotPayload.write(s), AT);
            assertThat(read.consents()).isEqualTo(s.consents());
            assertThat(read.attributes().keySet()).isEqualTo(s.attributes().keySet());
            assertThat(read.matched()).isEqualTo(s.matched());
            assertThat(read.profileCreated()).isEqualTo(s.profileCreated());
        }
    }

    @Test
    void payloadsOfEarlierVersionsStillRead() {
        // any key order, values kept in clear, nulls, and a nested value only data binding reads
        ContactSnapshot old = SnapshotPayload.read(
                1,
                1,
                "f",
                "{\"profileCreated\":true,\"consents\":null,\"attributes\":{\"a\":\"x\",\"n\":5,\"d\":1.5,"
                        + "\"b\":true,\"z\":null},\"matched\":true}",
                AT);
        assertThat(old.attributes()).isEqualTo(Map.of("a", "x", "n", 5, "d", 1.5, "b", true));
        assertThat(old.consents()).isEmpty();
        assertThat(old.matched()).isTrue();
        assertThat(old.profileCreated()).isTrue();

        // as Jackson's data binding wrote them, in the record's order
        ContactSnapshot bound = SnapshotPayload.read(
                3,
                1,
                "f",
                "{\"attributes\":{\"a\":\"sha256:00\"},\"consents\":{\"t|email\":true},\"matched\":true,"
                        + "\"profileCreated\":false}",
                AT);
        assertThat(bound.attributes()).isEqualTo(Map.of("a", "sha256:00"));
        assertThat(bound.consents()).isEqualTo(Map.of("t|email", true));
        assertThat(bound.profileCreated()).isFalse();

        ContactSnapshot nested =
                SnapshotPayload.read(2, 1, "f", "{\"attributes\":{\"o\":{\"k\":1}},\"matched\":false}", AT);
        assertThat(nested.attributes()).containsOnlyKeys("o");
        assertThat(nested.matched()).isFalse();
    }

    @Test
    void anUnreadablePayloadNamesTheContactNotItsContent() {
        assertThatThrownBy(() -> SnapshotPayload.read(42, 1, "f", "{\"attributes\":{\"a\":\"secret@x.be\"", AT))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("contact 42")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> SnapshotPayload.read(43, 1, "f", "{\"unexpected\":1}", AT))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("contact 43");
    }
}

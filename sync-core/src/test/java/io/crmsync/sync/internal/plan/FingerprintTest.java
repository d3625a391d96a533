package io.crmsync.sync.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void sameValuesInAnyOrderGiveTheSameFingerprint() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("first", "Anna");
        a.put("last", "Peeters");
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("last", "Peeters");
        b.put("first", "Anna");
        assertThat(Fingerprint.of("1", a)).isEqualTo(Fingerprint.of("1", b));
    }

    @Test
    void mappingVersionChangeChangesTheFingerprint() {
        Map<String, String> values = Map.of("first", "Anna");
        assertThat(Fingerprint.of("1", values)).isNotEqualTo(Fingerprint.of("2", values));
    }

    @Test
    void nullEmptyAndShiftedBoundariesAreDistinct() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("x", null);
        assertThat(Fingerprint.of("1", withNull)).isNotEqualTo(Fingerprint.of("1", Map.of("x", "")));
        assertThat(Fingerprint.of("1", Map.of("ab", "c"))).isNotEqualTo(Fingerprint.of("1", Map.of("a", "bc")));
    }

    @Test
    void rejectsMalformedStoredValue() {
        assertThatThrownBy(() -> new Fingerprint("not-hex"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex");
    }
}

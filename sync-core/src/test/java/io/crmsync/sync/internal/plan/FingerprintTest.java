package io.crmsync.sync.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
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
    void fingerprintsStayThoseAlreadyStored() {
        // Values taken with the first implementation: a stored fingerprint must still match, or every
        // contact would look changed (and be written to APSIS again) after an upgrade.
        Map<String, Object> m = new TreeMap<>();
        m.put("a:com.apsis1.attributes.email", "s:anna.peeters@example.be");
        m.put("a:com.apsis1.attributes.firstname", "s:Anna");
        m.put("a:usercreated.attributes.tier", "null");
        m.put("c:usercreated.topics.news|email", true);
        m.put("c:offers|sms", false);
        m.put("a:x", null);
        m.put("a:\u00e9", "s:Zo\u00eb \u00fcn\u00efcode \ud83d\ude00");
        assertThat(Fingerprint.of("v3-mapping", m).value())
                .isEqualTo("6ac86d2b9eee058e000b5ca62439f04fe20b97119eda5b05c3549cce913f43c7");
        assertThat(Fingerprint.of("v3-mapping", new HashMap<>(m))).isEqualTo(Fingerprint.of("v3-mapping", m));
        assertThat(Fingerprint.of("", Map.of()).value())
                .isEqualTo("b62b3612206e884490e49965974654c1ca770ae440c8867a5f044aa4a13d3794");
    }

    @Test
    void rejectsMalformedStoredValue() {
        assertThatThrownBy(() -> new Fingerprint("not-hex"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex");
    }
}

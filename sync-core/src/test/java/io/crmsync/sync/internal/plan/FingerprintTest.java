package io.crmsync.sync.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.sync.state.ContactSnapshot;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
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
        Map<String, Object> surrogates = new TreeMap<>();
        surrogates.put("a:lone \ud83d high", "s:x \udc00 low \u6f22\u5b57 \u20ac end\ud83d");
        surrogates.put("a:pair", "s:\ud83d\ude00\ud83d\ude00");
        assertThat(Fingerprint.of("v\u00e9", surrogates).value())
                .isEqualTo("01b3b0f09e7d9a58f9b3f9367a826acd6e9127f3c043a0afef0adc840a38b5bd");
        assertThat(Fingerprint.of("", Map.of()).value())
                .isEqualTo("b62b3612206e884490e49965974654c1ca770ae440c8867a5f044aa4a13d3794");
    }

    @Test
    void thePlannersFingerprintIsThatOfItsPrintMap() {
        // The planner once built "a:" + attribute -> typed form and "c:" + slot -> ticked, and took
        // the fingerprint of that map; it now streams the same entries.
        Random random = new Random(26);
        String[] texts = {"Anna", "Zo\u00eb", "\ud83d\ude00 x", "lone \ud83d", "\udc00", "", " ", "null", "\u6f22\u5b57"
        };
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            Map<String, Boolean> consents = new LinkedHashMap<>();
            for (int a = random.nextInt(7); a > 0; a--) {
                Object v = switch (random.nextInt(6)) {
                    case 0 -> null;
                    case 1 -> (long) random.nextInt(1000);
                    case 2 -> random.nextDouble();
                    case 3 -> random.nextBoolean();
                    case 4 -> LocalDate.of(2026, 1 + random.nextInt(12), 1);
                    default -> texts[random.nextInt(texts.length)] + random.nextInt(3);
                };
                attributes.put("attr." + texts[random.nextInt(texts.length)] + random.nextInt(9), v);
            }
            for (int c = random.nextInt(4); c > 0; c--) {
                consents.put(
                        "topic" + random.nextInt(5) + "|" + (random.nextBoolean() ? "email" : "sms"),
                        random.nextBoolean());
            }
            Map<String, Object> print = new TreeMap<>();
            attributes.forEach((a, v) -> print.put("a:" + a, ContactSnapshot.typedForm(v)));
            consents.forEach((s, t) -> print.put("c:" + s, t));

            assertThat(Fingerprint.hexOf("v" + i, attributes, consents))
                    .as("%s %s", attributes, consents)
                    .isEqualTo(Fingerprint.of("v" + i, print).value());
        }
    }

    @Test
    void rejectsMalformedStoredValue() {
        assertThatThrownBy(() -> new Fingerprint("not-hex"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex");
    }
}

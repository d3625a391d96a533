package io.crmsync.config.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyRegistryTest {

    private final KeyRegistry keys = CrmsyncKeys.registry();

    @Test
    void aTypoGetsTheNearestKeyOfItsScope() {
        assertThat(keys.nearest("efficy.apikey", KeyScope.FILE)).contains("efficy.apiKey");
        assertThat(keys.nearest("apsis.clientSecert", KeyScope.TENANT)).contains("apsis.clientSecret");
        assertThat(keys.nearest("Mapping.EMAIL1", KeyScope.FILE)).contains("mapping.<FIELD>");
        assertThat(keys.nearest("something.else.entirely", KeyScope.FILE)).isEmpty();
    }

    @Test
    void keysAndFamiliesAreKnownOnlyWhereTheyMayBeSet() {
        assertThat(keys.knows("mapping.EMAIL1", KeyScope.FILE)).isTrue();
        assertThat(keys.knows("consent.1.topic", KeyScope.TENANT)).isTrue();
        assertThat(keys.knows("response.OPENED", KeyScope.SPRING)).isTrue();
        assertThat(keys.knows("response.OPENNED", KeyScope.SPRING)).isFalse();
        assertThat(keys.knows("state.jdbcUrl", KeyScope.TENANT)).isFalse();
        assertThat(keys.knowsAnywhere("state.jdbcUrl")).isTrue();
        assertThat(keys.knows("webhooks.path", KeyScope.FILE)).isFalse();
        assertThat(keys.renamed("serve.pollInterval")).contains(HostKeys.POLL_INTERVAL);
    }

    @Test
    void everyKeyHasADocLineAGroupAndADefaultThatParsesBack() {
        for (ConfigKey<?> k : keys.keys()) {
            assertThat(k.doc()).as(k.name()).isNotBlank();
            k.defaultText()
                    .ifPresent(text -> assertThat(normal(k.type().parse(text)))
                            .as(k.name())
                            .isEqualTo(normal(k.defaultValue().orElseThrow())));
        }
        assertThat(ConfigKey.envName("efficy.apiKey")).isEqualTo("CRMSYNC_EFFICY_API_KEY");
        assertThat(ConfigKey.springName("efficy.allowInsecureHttp")).isEqualTo("crmsync.efficy.allow-insecure-http");
    }

    /** A zone by its rules (UTC written as "UTC" reads back as the region UTC, the same zone). */
    private static Object normal(Object value) {
        return value instanceof ZoneId z ? z.normalized() : value;
    }

    @Test
    void aKeyDeclaredTwiceIsRefused() {
        assertThatThrownBy(() -> KeyRegistry.of(List.of(PairKeys.EFFICY_URL, PairKeys.EFFICY_URL), List.of()))
                .hasMessageContaining("efficy.url is declared twice");
    }
}

package io.crmsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.config.keys.HostKeys;
import io.crmsync.config.keys.KeyScope;
import io.crmsync.config.keys.PairKeys;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CrmsyncConfigTest {

    private static CrmsyncConfig config(Map<String, String> env, String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return new CrmsyncConfig(p, env, Map.of(), new Properties());
    }

    @Test
    void aRenamedKeyIsReadUnderItsNewNameWithAWarning() {
        CrmsyncConfig c = config(Map.of(), "serve.pollInterval", "PT5M");
        assertThat(c.get(HostKeys.POLL_INTERVAL)).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.warnings(KeyScope.FILE))
                .containsExactly("serve.pollInterval is now called schedule.pollInterval; read as such (rename it)");
        assertThat(c.names()).containsExactly("schedule.pollInterval");
    }

    @Test
    void defaultsComeFromTheRegistryAndUnknownKeysAreNamedWithTheNearest() {
        CrmsyncConfig c = config(Map.of(), "efficy.apikey", "x");
        assertThat(c.get(PairKeys.SYNC_CONCURRENCY)).isEqualTo(8);
        assertThat(c.get(HostKeys.REVERSE_INTERVAL)).isZero();
        assertThat(c.get(PairKeys.RESPONSE_EVENT_TYPE_FIELD)).isNull();
        assertThat(c.warnings(KeyScope.FILE))
                .containsExactly("efficy.apikey is not a key; did you mean efficy.apiKey?");
        assertThatThrownBy(() -> c.requireKnownKeys(KeyScope.FILE))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("efficy.apikey: unknown keys (strict)");
    }

    @Test
    void anErrorNeverQuotesAValueThatCameFromAReferenceOrASecretKey() {
        CrmsyncConfig c = config(Map.of("LEAK", "hunter2-top-secret"), "sync.concurrency", "${LEAK}");
        assertThatThrownBy(() -> c.get(PairKeys.SYNC_CONCURRENCY))
                .hasMessage("sync.concurrency: the value is not a whole number")
                .hasMessageNotContaining("hunter2");
        CrmsyncConfig query =
                config(Map.of("LEAK", "hunter2-top-secret"), "query.1.key", "${LEAK}", "query.1.tag", "t");
        assertThatThrownBy(query::queries)
                .hasMessage("query.1.key: the value is not a whole number")
                .hasMessageNotContaining("hunter2");
        CrmsyncConfig plain = config(Map.of(), "sync.concurrency", "lots");
        assertThatThrownBy(() -> plain.get(PairKeys.SYNC_CONCURRENCY))
                .hasMessage("sync.concurrency: 'lots' is not a whole number");
    }

    @Test
    void describeMasksSecretsAndPasswordsInUrls() {
        CrmsyncConfig c = config(
                Map.of(),
                "efficy.apiKey",
                "plain-key-123",
                "apsis.clientSecret",
                "${APSIS_SECRET}",
                "state.jdbcUrl",
                "jdbc:postgresql://db/crmsync?user=u&password=pw-in-url");
        assertThat(c.describe())
                .contains("efficy.apiKey=****  # file", "apsis.clientSecret=${APSIS_SECRET}  # file")
                .contains("state.jdbcUrl=jdbc:postgresql://db/crmsync?user=u&password=****  # file")
                .contains("sync.concurrency=8  # default")
                .noneMatch(l -> l.contains("plain-key-123") || l.contains("pw-in-url"));
    }

    @Test
    void aResponseMappingWithoutAReverseIntervalIsTold() {
        CrmsyncConfig c = config(Map.of(), "response.OPENED", "history");
        assertThat(c.warnings(KeyScope.FILE))
                .singleElement()
                .asString()
                .contains("schedule.reverseInterval is not")
                .contains("PT15M");
    }
}

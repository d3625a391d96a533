package io.crmsync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClientCoreTest {

    @Test
    void retryDelaysDoubleFromTheBaseUpToTheCapWithJitterAroundThem() {
        RetryPolicy p = RetryPolicy.builder()
                .baseDelay(Duration.ofMillis(100))
                .maxDelay(Duration.ofMillis(350))
                .jitter(0.5)
                .build();

        assertThat(p.delayAfter(1, () -> 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delayAfter(2, () -> 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.delayAfter(3, () -> 0.5)).isEqualTo(Duration.ofMillis(350));
        assertThat(p.delayAfter(2, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delayAfter(2, () -> 1.0)).isEqualTo(Duration.ofMillis(300));
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).hasMessageContaining("maxAttempts");
    }

    @Test
    void retryAfterReadsSecondsAndHttpDatesAndIgnoresTheRest() {
        Instant now = Instant.parse("2026-11-29T10:00:00Z");

        assertThat(RetryAfter.parse(" 7 ", now)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("Sun, 29 Nov 2026 10:00:30 GMT", now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Sun, 29 Nov 2026 09:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
        assertThat(RetryAfter.parse("-5", now)).isEmpty();
    }

    @Test
    void plainHttpIsRefusedExceptToLoopbackOrWhenAllowed() {
        BaseUris.requireSafe(URI.create("https://crm.example.com"), false);
        BaseUris.requireSafe(URI.create("http://127.0.0.1:8080"), false);
        BaseUris.requireSafe(URI.create("http://localhost:8080"), false);
        BaseUris.requireSafe(URI.create("http://[::1]:8080"), false);
        BaseUris.requireSafe(URI.create("http://crm.example.com"), true);

        assertThatThrownBy(() -> BaseUris.requireSafe(URI.create("http://crm.example.com"), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("crm.example.com");
        assertThat(BaseUris.isLoopback("127.0.0.1.example.com")).isFalse();
    }

    @Test
    void theExceptionRootCarriesStatusAndRequestIdAndIsNeitherRetryableNorThrottledByDefault() {
        CrmsyncException e = new CrmsyncException("failed", 503, "req-1", null);
        CrmsyncException none = new CrmsyncException("failed", 0, null, null);

        assertThat(e.httpStatus()).hasValue(503);
        assertThat(e.requestId()).isEqualTo("req-1");
        assertThat(none.httpStatus()).isEmpty();
        assertThat(none.requestId()).isEqualTo(CrmsyncException.NO_REQUEST);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.isThrottled()).isFalse();
    }

    @Test
    void theSharedJsonDefaultsReadLenientlyAndWriteIsoDates() throws Exception {
        var mapper = JsonMappers.builder().build();

        record Value(String a) {}
        assertThat(mapper.readValue("{\"a\":\"x\",\"extra\":1}", Value.class).a())
                .isEqualTo("x");
        assertThat(mapper.writeValueAsString(Instant.parse("2026-11-29T10:00:00Z")))
                .isEqualTo("\"2026-11-29T10:00:00Z\"");
    }
}

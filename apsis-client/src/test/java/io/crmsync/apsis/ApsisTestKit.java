package io.crmsync.apsis;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.crmsync.client.Sleeper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/** Shared set-up for APSIS client tests: WireMock on 127.0.0.1, a settable clock, a recording sleeper. */
final class ApsisTestKit {

    static final String CLIENT_ID = "client-7f0c";
    static final String SECRET = "s3cr3t-Value-XYZ";
    static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

    private ApsisTestKit() {}

    static WireMockExtension server() {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
                .build();
    }

    /** A clock the test (or the sleeper) moves. */
    static final class TestClock extends Clock {
        private volatile Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** Records delays and moves the clock by them, so time-based logic runs without waiting. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> delays = Collections.synchronizedList(new ArrayList<>());
        private final TestClock clock;

        RecordingSleeper(TestClock clock) {
            this.clock = clock;
        }

        @Override
        public void sleep(Duration d) {
            delays.add(d);
            clock.advance(d);
        }

        Duration total() {
            synchronized (delays) {
                return delays.stream().reduce(Duration.ZERO, Duration::plus);
            }
        }
    }

    /** A JWT-shaped token whose exp is {@code exp}; the signature is not checked by the client. */
    static String jwt(Instant exp, String marker) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(
                ("{\"exp\":" + exp.getEpochSecond() + ",\"m\":\"" + marker + "\"}").getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".c2ln";
    }

    static void stubToken(WireMockExtension wm, String token) {
        wm.stubFor(post(urlEqualTo("/oauth/token"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + token
                                + "\",\"expires_in\":86400,\"token_type\":\"Bearer\"}")));
    }

    static ApsisClient.Builder client(WireMockExtension wm, TestClock clock, RecordingSleeper sleeper) {
        return ApsisClient.builder()
                .baseUri(URI.create("http://127.0.0.1:" + wm.getPort()))
                .clientId(CLIENT_ID)
                .clientSecret(SECRET)
                .clock(clock)
                .sleeper(sleeper)
                .jitterSource(() -> 0.5);
    }
}

package io.crmsync.apsis;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.crmsync.apsis.error.ApsisAuthenticationException;
import io.crmsync.apsis.error.ApsisException;
import io.crmsync.apsis.error.ApsisPermissionException;
import io.crmsync.apsis.error.ApsisRateLimitException;
import io.crmsync.apsis.error.ApsisServerException;
import io.crmsync.apsis.profile.AttributePatch;
import io.crmsync.apsis.profile.ProfileEvent;
import io.crmsync.apsis.profile.ProfileKey;
import io.crmsync.client.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApsisAuthenticationAndRetryTest {

    @RegisterExtension
    static WireMockExtension wm = ApsisTestKit.server();

    private final ApsisTestKit.TestClock clock = new ApsisTestKit.TestClock();
    private final ApsisTestKit.RecordingSleeper sleeper = new ApsisTestKit.RecordingSleeper(clock);
    private final ApsisClient client = ApsisTestKit.client(wm, clock, sleeper).build();

    private static final String SECTIONS =
            "{\"items\":[{\"discriminator\":\"com.apsis1.sections.default\",\"name\":\"Default\"}]}";

    private void sectionsAnswer() {
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .willReturn(aResponse().withStatus(200).withBody(SECTIONS)));
    }

    @Test
    void tokenIsRequestedWithAJsonBodyAndReusedAsBearer() {
        String token = ApsisTestKit.jwt(ApsisTestKit.START.plusSeconds(86400), "a");
        ApsisTestKit.stubToken(wm, token);
        sectionsAnswer();

        client.definitions().sections();
        client.definitions().refresh();
        client.definitions().sections();

        wm.verify(
                1,
                postRequestedFor(urlEqualTo("/oauth/token"))
                        .withHeader("Content-Type", equalTo("application/json"))
                        .withRequestBody(equalToJson("{\"grant_type\":\"client_credentials\",\"client_id\":\""
                                + ApsisTestKit.CLIENT_ID + "\",\"client_secret\":\"" + ApsisTestKit.SECRET + "\"}")));
        wm.verify(
                2,
                getRequestedFor(urlEqualTo("/audience/sections"))
                        .withHeader("Authorization", equalTo("Bearer " + token))
                        .withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void tokenIsRenewedAheadOfTheJwtExpiryNotTheLongerExpiresIn() {
        // exp in 20 minutes although expires_in says a day: the JWT wins; renewal 5 minutes ahead.
        ApsisTestKit.stubToken(wm, ApsisTestKit.jwt(ApsisTestKit.START.plusSeconds(1200), "a"));
        sectionsAnswer();
        client.definitions().sections();

        clock.advance(Duration.ofMinutes(14));
        client.definitions().refresh();
        client.definitions().sections();
        wm.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));

        clock.advance(Duration.ofMinutes(2));
        client.definitions().refresh();
        client.definitions().sections();
        wm.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void expiresInIsUsedWhenTheTokenIsNotAJwt() {
        wm.stubFor(post(urlEqualTo("/oauth/token"))
                .willReturn(aResponse().withStatus(200).withBody("{\"access_token\":\"opaque\",\"expires_in\":600}")));
        sectionsAnswer();
        client.definitions().sections();

        clock.advance(Duration.ofSeconds(299)); // lifetime 10 min: renewed at half-life
        client.definitions().refresh();
        client.definitions().sections();
        wm.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));

        clock.advance(Duration.ofSeconds(2));
        client.definitions().refresh();
        client.definitions().sections();
        wm.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void manyConcurrentCallersShareOneTokenRequest() throws Exception {
        wm.stubFor(post(urlEqualTo("/oauth/token"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withFixedDelay(300)
                        // This client runs on the system clock: its token's expiry is a day from now, not from
                        // the kit's fixed START (a token expiring at START + 1 day made every caller fetch its own
                        // once that day had passed).
                        .withBody("{\"access_token\":\""
                                + ApsisTestKit.jwt(Instant.now().plusSeconds(86400), "c")
                                + "\",\"expires_in\":86400}")));
        wm.stubFor(get(urlPathMatching("/audience/sections/.*/tags"))
                .willReturn(aResponse().withStatus(200).withBody("{\"items\":[]}")));
        ApsisClient shared = ApsisClient.builder()
                .baseUri(URI.create("http://127.0.0.1:" + wm.getPort()))
                .clientId("id")
                .clientSecret("secret")
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String section = "s" + i;
                calls.add(pool.submit(() -> shared.definitions().tags(section)));
            }
            for (Future<?> f : calls) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        wm.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void unauthorizedDropsTheTokenAndRetriesOnce() {
        wm.stubFor(post(urlEqualTo("/oauth/token"))
                .inScenario("t")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withBody("{\"access_token\":\"old\",\"expires_in\":86400}"))
                .willSetStateTo("second"));
        wm.stubFor(post(urlEqualTo("/oauth/token"))
                .inScenario("t")
                .whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(200).withBody("{\"access_token\":\"new\",\"expires_in\":86400}")));
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .withHeader("Authorization", equalTo("Bearer old"))
                .willReturn(aResponse().withStatus(401).withBody("{\"title\":\"Unauthorized\",\"status\":401}")));
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .withHeader("Authorization", equalTo("Bearer new"))
                .willReturn(aResponse().withStatus(200).withBody(SECTIONS)));

        assertThat(client.definitions().sections()).hasSize(1);
        wm.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
        assertThat(sleeper.delays).isEmpty();
    }

    @Test
    void forbiddenForAnExpiredTokenRenewsButAPermissionRefusalDoesNot() {
        wm.stubFor(post(urlEqualTo("/oauth/token"))
                .willReturn(aResponse().withStatus(200).withBody("{\"access_token\":\"tok\",\"expires_in\":86400}")));
        wm.stubFor(get(urlEqualTo("/audience/keyspaces"))
                .inScenario("e")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse()
                        .withStatus(403)
                        .withBody("{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"Access token expired\"}"))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlEqualTo("/audience/keyspaces"))
                .inScenario("e")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("{\"items\":[]}")));
        client.definitions().keyspaces();
        wm.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));

        wm.stubFor(
                get(urlEqualTo("/audience/channels"))
                        .willReturn(
                                aResponse()
                                        .withStatus(403)
                                        .withBody(
                                                "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"Keyspace lacks manage_subscriptions\"}")));
        ApsisPermissionException e = catchThrowableOfType(
                ApsisPermissionException.class, () -> client.definitions().channels());
        assertThat(e.detail()).contains("Keyspace lacks manage_subscriptions");
        wm.verify(1, getRequestedFor(urlEqualTo("/audience/channels")));
    }

    @Test
    void refusedCredentialsAreAnAuthenticationErrorWithoutTheSecret() {
        wm.stubFor(post(urlEqualTo("/oauth/token"))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Invalid client\"}")));

        ApsisAuthenticationException e = catchThrowableOfType(
                ApsisAuthenticationException.class, () -> client.definitions().sections());

        assertThat(e.getMessage()).contains("client credentials refused").doesNotContain(ApsisTestKit.SECRET);
        wm.verify(0, getRequestedFor(urlEqualTo("/audience/sections")));
    }

    @Test
    void refusedCredentialsAreAskedForOnceHoweverManyCallersFollow() throws Exception {
        wm.stubFor(post(urlEqualTo("/oauth/token"))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Invalid client\"}")));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> client.definitions().tags("s")));
            }
            for (Future<?> f : calls) {
                assertThatThrownBy(f::get).hasCauseInstanceOf(ApsisAuthenticationException.class);
            }
        } finally {
            pool.shutdownNow();
        }
        ApsisAuthenticationException again = catchThrowableOfType(
                ApsisAuthenticationException.class, () -> client.definitions().keyspaces());

        assertThat(again.getMessage())
                .contains("check the client id and client secret")
                .doesNotContain(ApsisTestKit.SECRET);
        wm.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        assertThat(sleeper.delays).isEmpty();
    }

    @Test
    void throttlingHonoursRetryAfterSecondsAndHttpDateWithoutSpendingRetries() {
        ApsisTestKit.stubToken(wm, "tok");
        ApsisClient noRetries = ApsisTestKit.client(wm, clock, sleeper)
                .retryPolicy(RetryPolicy.none())
                .build();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ApsisTestKit.START.plusSeconds(7).atOffset(ZoneOffset.UTC));
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .inScenario("429")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3"))
                .willSetStateTo("date"));
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .inScenario("429")
                .whenScenarioStateIs("date")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", date))
                .willSetStateTo("none"));
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .inScenario("429")
                .whenScenarioStateIs("none")
                .willReturn(aResponse().withStatus(429))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .inScenario("429")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(SECTIONS)));

        assertThat(noRetries.definitions().sections()).hasSize(1);

        // 3 s; then the date 7 s after start, 3 s of which have passed; then backoff step 3 = 800 ms
        assertThat(sleeper.delays)
                .containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofMillis(800));
    }

    @Test
    void throttlingBeyondTheBudgetFailsAsRateLimited() {
        ApsisTestKit.stubToken(wm, "tok");
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "400")));

        ApsisRateLimitException e = catchThrowableOfType(
                ApsisRateLimitException.class, () -> client.definitions().sections());

        assertThat(e.isThrottled()).isTrue();
        assertThat(sleeper.total()).isLessThanOrEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void serverErrorsAreRetriedWithBackoffForIdempotentRequests() {
        ApsisTestKit.stubToken(wm, "tok");
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .inScenario("5xx")
                .whenScenarioStateIs(STARTED)
                .willReturn(
                        aResponse()
                                .withStatus(503)
                                .withBody(
                                        "{\"title\":\"Service unavailable\",\"status\":503,\"detail\":\"Connection to database timed out\"}"))
                .willSetStateTo("500"));
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .inScenario("5xx")
                .whenScenarioStateIs("500")
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlEqualTo("/audience/sections"))
                .inScenario("5xx")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(SECTIONS)));

        assertThat(client.definitions().sections()).hasSize(1);
        assertThat(sleeper.delays).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void eventPostsAreNotRetried() {
        ApsisTestKit.stubToken(wm, "tok");
        wm.stubFor(post(urlPathMatching("/audience/keyspaces/.*/events"))
                .willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> client.profiles()
                        .postEvents(
                                ProfileKey.crmId("1"),
                                "sec",
                                List.of(new ProfileEvent(
                                        "5521", OffsetDateTime.parse("2024-05-01T10:15:00Z"), Map.of("x", 1)))))
                .isInstanceOf(ApsisServerException.class);
        wm.verify(1, postRequestedFor(urlPathMatching("/audience/keyspaces/.*/events")));
    }

    @Test
    void limiterKeepsTheAccountAndPerProfileRates() {
        ApsisTestKit.stubToken(wm, "tok");
        wm.stubFor(WireMock.delete(urlPathMatching("/audience/keyspaces/.*"))
                .willReturn(aResponse().withStatus(204)));
        ApsisClient limited = ApsisTestKit.client(wm, clock, sleeper)
                .rateLimits(RateLimits.defaults().withPerAccountPerSecond(20).withPerProfilePerSecond(5))
                .build();

        for (int i = 0; i < 60; i++) {
            limited.profiles().delete(ProfileKey.crmId("k" + i));
        }
        // 20 burst + 40 more at 20/s: two simulated seconds (plus the token request's permit)
        assertThat(sleeper.total()).isBetween(Duration.ofMillis(1950), Duration.ofMillis(2150));

        sleeper.delays.clear();
        clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 15; i++) {
            limited.profiles().delete(ProfileKey.crmId("same"));
        }
        // 5 burst + 10 more at 5/s for one profile key
        assertThat(sleeper.total()).isBetween(Duration.ofMillis(1950), Duration.ofMillis(2050));
    }

    @Test
    void problemBodyFieldsAreKeptAndAddressesSecretsAndTokensStayOut() {
        String token = "tok-" + "abcdef123456";
        ApsisTestKit.stubToken(wm, token);
        wm.stubFor(
                WireMock.patch(urlPathMatching("/v2/audience/.*"))
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withHeader("Content-Type", "application/problem+json")
                                        .withBody(
                                                "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"Value anna+news@example.com is not valid\"}")));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        ApsisException e;
        try {
            e = catchThrowableOfType(
                    ApsisException.class,
                    () -> client.profiles()
                            .patchAttributes(
                                    ProfileKey.email("anna+news@example.com"),
                                    "sec",
                                    AttributePatch.builder()
                                            .set("com.apsis1.attributes.email", "x")
                                            .build()));
        } finally {
            System.setOut(original);
        }
        assertThat(e.status()).hasValue(400);
        assertThat(e.title()).contains("Bad Request");
        assertThat(e.detail()).contains("Value ***@*** is not valid");
        assertThat(e.method()).isEqualTo("PATCH");
        assertThat(e.path())
                .isEqualTo("/v2/audience/keyspaces/com.apsis1.keyspaces.email/profiles/***/sections/sec/attributes");
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("APSIS");
        for (String secret : List.of("anna", ApsisTestKit.SECRET, token)) {
            assertThat(e.getMessage()).doesNotContain(secret);
            assertThat(logs).doesNotContain(secret);
        }
        assertThat(client.toString()).doesNotContain(ApsisTestKit.SECRET);
    }
}

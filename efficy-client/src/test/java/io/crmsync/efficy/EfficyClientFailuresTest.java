package io.crmsync.efficy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import io.crmsync.client.RetryPolicy;
import io.crmsync.efficy.activity.NewActivity;
import io.crmsync.efficy.error.EfficyAuthenticationException;
import io.crmsync.efficy.error.EfficyException;
import io.crmsync.efficy.error.EfficyRpcException;
import io.crmsync.efficy.error.EfficyServerException;
import io.crmsync.efficy.error.EfficyTransportException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EfficyClientFailuresTest {

    @RegisterExtension
    static WireMockExtension wm = EfficyWireMock.server();

    private final EfficyWireMock.RecordingSleeper sleeper = new EfficyWireMock.RecordingSleeper();
    private final EfficyClient client = EfficyWireMock.client(wm, sleeper).build();

    private static final String USERS_OK =
            "[{\"#id\":\"c0\",\"@name\":\"api\",\"@func\":[{\"@name\":\"userlist\",\"#result\":"
                    + "{\"#class\":\"dataset\",\"#data\":[{\"K_USER\":1,\"USERCODE\":\"A\",\"KIND\":0}]}}]}]";

    private void answerAlways(String body) {
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .willReturn(aResponse().withStatus(200).withBody(body)));
    }

    @Test
    void exceptionElementBecomesRpcErrorWithCodeAndText() {
        answerAlways("[{\"@name\":\"exception\",\"#error\":{\"errorcode\":\"TAGS-2108\","
                + "\"errorstring\":\"EEfficyException - Invalid Entity \\\"dummy\\\"\"}}]");

        EfficyRpcException e = catchThrowableOfType(
                EfficyRpcException.class, () -> client.users().list());

        assertThat(e.errorCode()).contains("TAGS-2108");
        assertThat(e.errorString()).hasValueSatisfying(s -> assertThat(s).contains("Invalid Entity"));
        assertThat(e.getMessage())
                .contains("Efficy users failed")
                .contains("TAGS-2108")
                .contains("[request efy");
        assertThat(e.isRetryable()).isFalse();
        wm.verify(1, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void exceptionElementBesideTheEchoedContextsIsReadNotMistakenForAnAnswer() {
        // The shape Enterprise gives and the public npm client reads: every context echoed with its
        // #id (without results), then the exception element.
        answerAlways("[{\"#id\":\"c0\",\"@name\":\"api\",\"@func\":[{\"@name\":\"userlist\"}]},"
                + "{\"@name\":\"exception\",\"#error\":{\"errorcode\":\"SQL\","
                + "\"errorstring\":\"EEfficyServerError - Invalid object name 'fakeTable'\"}}]");

        EfficyRpcException e = catchThrowableOfType(
                EfficyRpcException.class, () -> client.users().list());

        assertThat(e.errorCode()).contains("SQL");
        assertThat(e.errorString()).hasValueSatisfying(s -> assertThat(s).contains("Invalid object name 'fakeTable'"));
    }

    @Test
    void contextErrorAsStringNamesTheContext() {
        answerAlways("[{\"#id\":\"c0\",\"@name\":\"api\",\"#error\":\"Unknown function\",\"@func\":[]}]");

        EfficyRpcException e = catchThrowableOfType(
                EfficyRpcException.class, () -> client.users().list());

        assertThat(e.context()).contains("c0");
        assertThat(e.errorString()).contains("Unknown function");
    }

    @Test
    void funcErrorObjectNamesTheFunctionAndTrueFlagReadsMessage() {
        answerAlways("[{\"#id\":\"c0\",\"@name\":\"api\",\"#error\":true,\"@func\":[{\"@name\":\"userlist\","
                + "\"#error\":{\"errorcode\":\"E1\",\"errorstring\":\"bad\",\"detail\":\"more\"}}]}]");
        EfficyRpcException e = catchThrowableOfType(
                EfficyRpcException.class, () -> client.users().list());
        assertThat(e.function()).contains("userlist");
        assertThat(e.errorString()).contains("bad (more)");

        wm.resetAll();
        answerAlways("[{\"#id\":\"c0\",\"@name\":\"api\",\"#error\":true,\"#message\":\"flagged\",\"@func\":[]}]");
        EfficyRpcException flagged = catchThrowableOfType(
                EfficyRpcException.class, () -> client.users().list());
        assertThat(flagged.errorString()).contains("flagged");
    }

    @Test
    void objectInsteadOfArrayInBothFormsIsAnRpcError() {
        answerAlways("{\"#error\":{\"errorcode\":\"HOST\",\"errorstring\":\"Invalid host\"}}");
        assertThat(catchThrowableOfType(
                                EfficyRpcException.class, () -> client.users().list())
                        .errorString())
                .contains("Invalid host");

        wm.resetAll();
        answerAlways("{\"error\":true,\"code\":\"X1\",\"message\":\"Whole request failed\",\"detail\":\"d\"}");
        EfficyRpcException e = catchThrowableOfType(
                EfficyRpcException.class, () -> client.users().list());
        assertThat(e.errorCode()).contains("X1");
        assertThat(e.errorString()).contains("Whole request failed (d)");
    }

    @Test
    void html504FromAProxyIsARetryableServerErrorAndReadsAreRetried() {
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .inScenario("proxy")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(504).withBody("<html><body>Gateway Time-out</body></html>"))
                .willSetStateTo("second"));
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .inScenario("proxy")
                .whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503).withBody(""))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .inScenario("proxy")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(USERS_OK)));

        assertThat(client.users().list()).hasSize(1);

        wm.verify(3, postRequestedFor(urlEqualTo("/crm/json")));
        // jitter source 0.5 gives factor 1: exactly the exponential delays
        assertThat(sleeper.delays).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void retriesStopAtMaxAttemptsWithTheLastError() {
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .willReturn(aResponse().withStatus(504).withBody("<!DOCTYPE html><html>gateway</html>")));

        EfficyServerException e = catchThrowableOfType(
                EfficyServerException.class, () -> client.users().list());

        assertThat(e.httpStatus()).hasValue(504);
        assertThat(e.getMessage()).contains("HTML page from a proxy");
        wm.verify(3, postRequestedFor(urlEqualTo("/crm/json")));
        assertThat(sleeper.delays).hasSize(2);
    }

    @Test
    void createsAreNeverRetried() {
        wm.stubFor(post(urlEqualTo("/crm/json")).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> client.activities()
                        .create(NewActivity.builder(1, "s1").subject("x").build()))
                .isInstanceOf(EfficyServerException.class);

        wm.verify(1, postRequestedFor(urlEqualTo("/crm/json")));
        assertThat(sleeper.delays).isEmpty();
    }

    @Test
    void idempotentEditsAreRetried() {
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .inScenario("edit")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .inScenario("edit")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("[{\"#id\":\"c0\",\"@name\":\"edit\",\"@func\":[{\"@name\":\"update\"}]}]")));

        client.contacts().updateFields(5, Map.of("F_BOUNCED", "1"));

        wm.verify(2, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void emptyBodyAndNonJsonAreTransportErrors() {
        EfficyClient noRetry = EfficyWireMock.client(wm, sleeper)
                .retryPolicy(RetryPolicy.none())
                .build();
        answerAlways("");
        assertThat(catchThrowableOfType(
                                EfficyTransportException.class,
                                () -> noRetry.users().list())
                        .getMessage())
                .contains("empty answer");

        wm.resetAll();
        answerAlways("not json at all");
        assertThat(catchThrowableOfType(
                                EfficyTransportException.class,
                                () -> noRetry.users().list())
                        .getMessage())
                .contains("not valid JSON");

        wm.resetAll();
        answerAlways("{\"unexpected\":1}");
        EfficyTransportException shape = catchThrowableOfType(
                EfficyTransportException.class, () -> noRetry.users().list());
        assertThat(shape.getMessage()).contains("not a batch array");
        assertThat(shape.isRetryable()).isFalse();
    }

    @Test
    void missingEchoedContextIsReported() {
        answerAlways("[{\"#id\":\"other\",\"@name\":\"api\",\"@func\":[]}]");
        assertThat(catchThrowableOfType(
                                EfficyTransportException.class,
                                () -> client.users().list())
                        .getMessage())
                .contains("lacks context #c0");
    }

    @Test
    void sessionCookieIsKeptAndSentBack() {
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .withHeader("Cookie", absent())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Set-Cookie", "EfficySession=3B826396-22AE9698; path=/; HttpOnly")
                        .withBody(USERS_OK)));
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .withHeader("Cookie", equalTo("EfficySession=3B826396-22AE9698"))
                .willReturn(aResponse().withStatus(200).withBody(USERS_OK)));

        client.users().list();
        client.users().list();

        wm.verify(1, postRequestedFor(urlEqualTo("/crm/json")).withHeader("Cookie", absent()));
        wm.verify(
                1,
                postRequestedFor(urlEqualTo("/crm/json"))
                        .withHeader("Cookie", equalTo("EfficySession=3B826396-22AE9698")));
    }

    @Test
    void expiredSessionDropsTheCookieAndRetriesOnceWithANewSession() {
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .withHeader("Cookie", absent())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Set-Cookie", "EfficySession=OLD")
                        .withBody(USERS_OK)));
        wm.stubFor(
                post(urlEqualTo("/crm/json"))
                        .withHeader("Cookie", equalTo("EfficySession=OLD"))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withBody(
                                                "[{\"@name\":\"exception\",\"#error\":{\"errorcode\":\"\",\"errorstring\":\"Session timeout\"}}]")));
        client.users().list();

        wm.stubFor(post(urlEqualTo("/crm/json"))
                .withHeader("Cookie", absent())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Set-Cookie", "EfficySession=NEW")
                        .withBody(USERS_OK)));
        assertThat(client.users().list()).hasSize(1);

        wm.verify(2, postRequestedFor(urlEqualTo("/crm/json")).withHeader("Cookie", absent()));
        wm.verify(1, postRequestedFor(urlEqualTo("/crm/json")).withHeader("Cookie", equalTo("EfficySession=OLD")));
        assertThat(sleeper.delays).as("a session retry is not a failure retry").isEmpty();
    }

    @Test
    void refusedCredentialsAfterTheSessionRetryAreAnAuthenticationError() {
        wm.stubFor(post(urlEqualTo("/crm/json")).willReturn(aResponse().withStatus(401)));

        EfficyAuthenticationException e = catchThrowableOfType(
                EfficyAuthenticationException.class, () -> client.users().list());

        assertThat(e.httpStatus()).hasValue(401);
        wm.verify(2, postRequestedFor(urlEqualTo("/crm/json")));

        wm.resetAll();
        answerAlways(
                "[{\"@name\":\"exception\",\"#error\":{\"errorcode\":\"CORE-1243\",\"errorstring\":\"Invalid User\"}}]");
        assertThat(catchThrowableOfType(
                                EfficyAuthenticationException.class,
                                () -> client.users().list())
                        .getMessage())
                .contains("Invalid User");
        wm.verify(2, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void closeLogsTheSessionOff() {
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Set-Cookie", "EfficySession=S1")
                        .withBody(USERS_OK)));
        client.users().list();

        client.close();

        wm.verify(
                1,
                postRequestedFor(urlEqualTo("/crm/json"))
                        .withHeader("X-Efficy-Logoff", equalTo("true"))
                        .withHeader("Cookie", equalTo("EfficySession=S1")));
        assertThatThrownBy(() -> client.users().list())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void neverMoreRequestsInFlightThanTheCap() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(12));
        server.createContext("/crm/json", exchange -> {
            int now = inFlight.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            byte[] body = USERS_OK.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        ExecutorService callers = Executors.newFixedThreadPool(10);
        try {
            EfficyClient capped = EfficyClient.builder()
                    .baseUri(
                            URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                    .apiKey("k")
                    .maxConcurrentRequests(2)
                    .build();
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(callers.submit(() -> capped.users().list()));
            }
            for (Future<?> call : calls) {
                call.get();
            }
            assertThat(peak.get()).isEqualTo(2);
        } finally {
            callers.shutdownNow();
            server.stop(0);
        }
    }

    @Test
    void apiKeyAppearsInNoMessageLogLineOrToString() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<Throwable> failures = new ArrayList<>();
        try {
            wm.stubFor(post(urlEqualTo("/crm/json")).willReturn(aResponse().withStatus(401)));
            failures.add(catchThrowableOfType(
                    EfficyException.class, () -> client.users().list()));
            wm.resetAll();
            wm.stubFor(post(urlEqualTo("/crm/json"))
                    .willReturn(aResponse().withStatus(504).withBody("<html/>")));
            failures.add(catchThrowableOfType(
                    EfficyException.class, () -> client.users().list()));
            wm.resetAll();
            answerAlways("[{\"@name\":\"exception\",\"#error\":{\"errorcode\":\"E\",\"errorstring\":\"boom\"}}]");
            failures.add(catchThrowableOfType(
                    EfficyException.class, () -> client.users().list()));
        } finally {
            System.setOut(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("the client logged its requests").contains("Efficy users");
        assertThat(logs).doesNotContain(EfficyWireMock.API_KEY);
        assertThat(failures).hasSize(3).allSatisfy(f -> {
            assertThat(f.getMessage()).doesNotContain(EfficyWireMock.API_KEY);
            assertThat(f.toString()).doesNotContain(EfficyWireMock.API_KEY);
        });
        assertThat(client.toString()).doesNotContain(EfficyWireMock.API_KEY).contains("redacted");
        EfficyClient withPassword = EfficyClient.builder()
                .baseUri(EfficyWireMock.base(wm))
                .userPassword("JDOE", "pa55word!")
                .build();
        assertThat(withPassword.toString()).doesNotContain("pa55word!");
    }

    @Test
    void userAndPasswordAreSentOnlyWithoutAnApiKey() {
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .willReturn(aResponse().withStatus(200).withBody(USERS_OK)));
        EfficyClient withPassword = EfficyClient.builder()
                .baseUri(EfficyWireMock.base(wm))
                .userPassword("JDOE", "pa55word!")
                .build();

        withPassword.users().list();

        wm.verify(postRequestedFor(urlEqualTo("/crm/json"))
                .withHeader("X-Efficy-User", equalTo("JDOE"))
                .withHeader("X-Efficy-Pwd", equalTo("pa55word!"))
                .withHeader("X-Efficy-ApiKey", absent())
                .withHeader("X-Efficy-Customer", absent()));
    }

    @Test
    void answersWithoutEchoedIdsAreMatchedByPosition() {
        answerAlways("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"userlist\",\"#result\":"
                + "{\"#class\":\"dataset\",\"#data\":[{\"K_USER\":5,\"USERCODE\":\"P\",\"KIND\":0}]}}]}]");

        assertThat(client.users().list()).extracting(u -> u.key()).containsExactly(5L);
    }

    @Test
    void listenerSeesOneStartAndOneOutcomePerAttemptAndItsExceptionsAreIgnored() {
        List<String> events = new ArrayList<>();
        EfficyListener listener = new EfficyListener() {
            @Override
            public void requestStart(String operation, String requestId, int attempt) {
                events.add("start " + operation + " " + attempt);
                throw new IllegalStateException("a broken listener must not break the client");
            }

            @Override
            public void requestEnd(String operation, String requestId, int attempt, int status, Duration elapsed) {
                events.add("end " + attempt + " " + status);
            }

            @Override
            public void requestFailed(
                    String operation, String requestId, int attempt, EfficyException f, Duration elapsed) {
                events.add("failed " + attempt + " " + f.httpStatus().orElse(0));
            }
        };
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .inScenario("l")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(502))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .inScenario("l")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(USERS_OK)));

        EfficyWireMock.client(wm, sleeper).listener(listener).build().users().list();

        assertThat(events).containsExactly("start users 1", "failed 1 502", "start users 2", "end 2 200");
    }

    @Test
    void addressesQuotedInServerErrorsAreMaskedInTheMessage() {
        answerAlways("[{\"@name\":\"exception\",\"#error\":{\"errorcode\":\"VAL\","
                + "\"errorstring\":\"Invalid value 'jane.doe@example.com' for EMAIL1\"}}]");
        EfficyRpcException e = catchThrowableOfType(
                EfficyRpcException.class, () -> client.users().list());
        assertThat(e.getMessage())
                .contains("Invalid value '***@***' for EMAIL1")
                .doesNotContain("jane.doe");
        assertThat(e.errorString()).contains("Invalid value 'jane.doe@example.com' for EMAIL1");
    }
}

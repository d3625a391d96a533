package io.crmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.HostCheck;
import io.crmsync.testkit.apsis.ApsisLimits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code crmsync status} with a serve file: what the running serve's console overview shows. */
class ServeStatusTest {

    private static final String TOKEN = "serve-status-console-token";

    private final EfficyEmulator efficy = EfficyEmulator.start();
    private final ApsisEmulator apsis =
            ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    private final HostCheck check = HostCheck.prepare(efficy, apsis);

    @AfterEach
    void stop() {
        efficy.close();
        apsis.close();
    }

    private Path configWithToken() throws Exception {
        Path config = ServeHostTest.configFile(efficy, apsis, check);
        Files.writeString(config, Files.readString(config) + "\nconsole.token=" + TOKEN + "\n");
        return config;
    }

    /** {@code serve} on {@code config}, once its jobs run. */
    private static CompletableFuture<Integer> serving(Cli serve, Path config) throws InterruptedException {
        CompletableFuture<Integer> serving =
                CompletableFuture.supplyAsync(() -> serve.run(new String[] {"serve", "--config", config.toString()}));
        Awaits.until(
                "serve's jobs", () -> serve.server() != null && serve.server().jobs() != null);
        return serving;
    }

    @Test
    void statusAsksTheRunningServeThroughItsConsole() throws Exception {
        Path config = configWithToken();
        Cli serve = new Cli(Map.of(), System.out, System.out);
        CompletableFuture<Integer> serving = serving(serve, config);
        try {
            String port = Integer.toString(serve.server().baseUri().getPort());
            Awaits.until(
                    "the first full sync's end",
                    () -> serve.server().jobs().status().stream()
                            .anyMatch(s -> s.lastOutcome().isPresent()));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8);
            assertThat(new Cli(Map.of(), p, p).run(new String[] {
                        "status", "--config", config.toString(), "-D", "serve.port=" + port, "--json"
                    }))
                    .as(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo(Cli.OK);
            JsonNode status = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertThat(status.path("host").asText()).isEqualTo("serve");
            assertThat(status.path("jobs").findValuesAsText("outcome")).contains("succeeded");
            assertThat(status.path("figures").has("poll lag")).isTrue();
            assertThat(status.path("figures")
                            .path("APSIS budget used, last minute")
                            .asText())
                    .contains("of 6000");

            out.reset();
            assertThat(new Cli(Map.of(), p, p)
                            .run(new String[] {"status", "--config", config.toString(), "-D", "serve.port=" + port}))
                    .isEqualTo(Cli.OK);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("fullSync: succeeded at");

            out.reset();
            assertThat(new Cli(Map.of(), p, p).run(new String[] {
                        "status",
                        "--config",
                        config.toString(),
                        "-D",
                        "serve.port=" + port,
                        "-D",
                        "console.token=not-the-token-of-serve"
                    }))
                    .isEqualTo(ExitStatus.FAILED);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("token was refused");
        } finally {
            serve.stop();
        }
        assertThat(serving.get()).isEqualTo(Cli.OK);
    }

    @Test
    void withTheConsoleOnNothingButHealthAndTheWebhooksIsServedWithoutTheToken() throws Exception {
        Path config = configWithToken();
        Cli serve = new Cli(Map.of(), System.out, System.out);
        CompletableFuture<Integer> serving = serving(serve, config);
        try {
            URI base = serve.server().baseUri();
            HttpClient http = HttpClient.newHttpClient();
            assertThat(get(http, base.resolve("/health"), null).statusCode()).isEqualTo(200);
            assertThat(get(http, base.resolve("/metrics"), null).statusCode()).isEqualTo(401);
            assertThat(get(http, base.resolve("/metrics"), "Bearer not-the-token")
                            .statusCode())
                    .isEqualTo(401);
            HttpResponse<String> metrics = get(http, base.resolve("/metrics"), "Bearer " + TOKEN);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("crmsync_poll_lag_seconds");
            assertThat(get(http, base.resolve("/console/runs"), null).statusCode())
                    .isEqualTo(303);
            assertThat(get(http, base.resolve("/console/api/status"), null).statusCode())
                    .isEqualTo(303);
        } finally {
            serve.stop();
        }
        assertThat(serving.get()).isEqualTo(Cli.OK);
    }

    private static HttpResponse<String> get(HttpClient http, URI uri, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusOfAServeFileWithoutAConsoleTokenSaysWhatIsMissing() throws Exception {
        Path config = ServeHostTest.configFile(efficy, apsis, check);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(new Cli(Map.of(), p, p).run(new String[] {"status", "--config", config.toString()}))
                .isEqualTo(Cli.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("console.token");
    }
}

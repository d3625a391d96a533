package io.crmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.config.jobs.HostedJob;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} as a host: every capability runs in it, judged by the emulators' state
 * ({@link HostCheck}): the first full sync, polls, the stored query as a tag, reverse sync of a
 * campaign, and both webhooks over HTTP.
 */
class ServeHostTest {

    private final EfficyEmulator efficy = EfficyEmulator.start();
    private final ApsisEmulator apsis =
            ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    private final HostCheck check = HostCheck.prepare(efficy, apsis);
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        efficy.close();
        apsis.close();
    }

    /** A serve configuration of the emulators and the check's keys. */
    static Path configFile(EfficyEmulator efficy, ApsisEmulator apsis, HostCheck check) throws Exception {
        Path dir = Files.createTempDirectory("serve-host");
        List<String> lines = new ArrayList<>(List.of(
                "efficy.url=" + efficy.baseUri() + "/crm",
                "efficy.customer=" + efficy.customer(),
                "efficy.apiKey=" + efficy.apiKey(),
                "apsis.baseUrl=" + apsis.baseUri(),
                "apsis.clientId=" + apsis.clientId(),
                "apsis.clientSecret=" + apsis.clientSecret(),
                "state.jdbcUrl=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(),
                "serve.port=0"));
        check.keys().forEach((k, v) -> lines.add(k + "=" + v));
        check.secrets().forEach((k, v) -> lines.add(k + "=" + v));
        Path file = dir.resolve("crmsync.properties");
        Files.writeString(file, String.join("\n", lines));
        return file;
    }

    @Test
    void everyCapabilityRunsInServe() throws Exception {
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
        Cli cli = new Cli(Map.of(), print, print);
        Path config = configFile(efficy, apsis, check);
        CompletableFuture<Integer> serving =
                CompletableFuture.supplyAsync(() -> cli.run(new String[] {"serve", "--config", config.toString()}));
        try {
            check.awaitProfiles();
            while (cli.server() == null) {
                assertThat(serving).as(output.toString(StandardCharsets.UTF_8)).isNotDone();
                Thread.sleep(20);
            }
            Server server = cli.server();
            Awaits.until(
                    "the first full sync's end",
                    () -> server.jobs().status().stream()
                            .anyMatch(s -> s.job() == HostedJob.FULL_SYNC
                                    && s.lastOutcome().isPresent()));
            assertThat(server.jobs().status())
                    .filteredOn(s -> s.job() == HostedJob.FULL_SYNC)
                    .singleElement()
                    .satisfies(s -> assertThat(s.lastOutcome())
                            .as("the empty store's first run")
                            .contains("succeeded"));
            check.awaitTags();
            long changed = check.changeContact();
            check.awaitChange(changed);
            check.awaitHistory(check.campaign());

            URI base = cli.server().baseUri();
            HttpClient http = HttpClient.newHttpClient();
            HostCheck.Webhook created = check.newContactWebhook();
            HttpResponse<String> efficyHook = http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/efficy/" + HostCheck.EFFICY_SECRET))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(created.body()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(efficyHook.statusCode()).as(efficyHook.body()).isEqualTo(200);
            check.awaitProfile(created.key());
            HttpResponse<String> task = http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/apsis-task"))
                            .header("Authorization", "Bearer " + HostCheck.TASK_SECRET)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(check.taskWebhookBody("serve-1")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(task.statusCode()).as(task.body()).isEqualTo(200);
            assertThat(check.tasks("serve-1")).isEqualTo(1);
        } finally {
            cli.stop();
        }
        assertThat(serving.get()).isEqualTo(Cli.OK);
    }
}

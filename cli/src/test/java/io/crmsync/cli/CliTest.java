package io.crmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.config.keys.ConfigKey;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CliTest {

    private final EfficyEmulator efficy = EfficyEmulator.start().seedContacts(150, 9);
    private final ApsisEmulator apsis =
            ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> env = Map.of(
            "EFFICY_KEY",
            efficy.apiKey(),
            "APSIS_SECRET",
            apsis.clientSecret(),
            "TASK_SECRET",
            "cli-test-task-secret-123456");

    @AfterEach
    void stop() {
        efficy.close();
        apsis.close();
    }

    private Path config(String extra) throws Exception {
        Path dir = Files.createTempDirectory("cli");
        Path file = dir.resolve("crmsync.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "efficy.url=" + efficy.baseUri() + "/crm",
                        "efficy.customer=demo",
                        "efficy.apiKey=${EFFICY_KEY}",
                        "apsis.baseUrl=" + apsis.baseUri(),
                        "apsis.clientId=" + apsis.clientId(),
                        "apsis.clientSecret=${APSIS_SECRET}",
                        "apsis.section=com.apsis1.sections.default",
                        "mapping.EMAIL1=com.apsis1.attributes.email",
                        "mapping.FIRSTNAME=com.apsis1.attributes.firstname",
                        "consent.1.checkbox=F_NEWSLETTER",
                        "consent.1.topic=usercreated.topics.newsletter-ab12cd34ef",
                        "consent.1.channel=email",
                        "condition.1.field=OPENED",
                        "condition.1.op=equals",
                        "condition.1.value=1",
                        "response.OPENED=history,eventTime:F_LAST_OPENED",
                        "taskWebhook.secret=${TASK_SECRET}",
                        "taskWebhook.defaultUser=JDOE",
                        "state.jdbcUrl=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(),
                        "serve.port=0",
                        "webhooks.efficySecret=efficy-hook-secret-0123",
                        "schedule.pollInterval=PT0S",
                        "schedule.reverseInterval=PT0S",
                        extra));
        return file;
    }

    private int run(String... args) {
        return new Cli(
                        env,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void validateDryRunAndFullSyncWorkAgainstTheEmulators() throws Exception {
        Path config = config("");
        assertThat(run("validate", "--config", config.toString())).isEqualTo(Cli.OK);
        assertThat(output()).contains("setup is valid (Efficy 12.1.3 as APIUSER;");

        assertThat(run("full-sync", "--dry-run", "--config", config.toString())).isEqualTo(Cli.OK);
        assertThat(apsis.profileCount()).isZero();
        assertThat(output()).contains("fullSync (dry run)");

        assertThat(run("full-sync", "--config", config.toString())).isEqualTo(Cli.OK);
        assertThat(apsis.profileCount()).isPositive();
        assertThat(run("poll", "--config", config.toString())).isEqualTo(Cli.OK);
        assertThat(run("reverse-sync", "--config", config.toString())).isEqualTo(Cli.OK);
    }

    @Test
    void fullSyncShowsItsProgressOnStandardErrorWithTheTotalTheLastFullSyncCounted() throws Exception {
        Path config = config("");
        assertThat(run("full-sync", "--progress", "--config", config.toString()))
                .isEqualTo(Cli.OK);
        String first = err.toString(StandardCharsets.UTF_8);
        assertThat(first).contains("\rfull sync: read ").doesNotContain("of about", "ETA ");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("full sync: read");
        err.reset();
        assertThat(run("full-sync", "--progress", "--config", config.toString()))
                .isEqualTo(Cli.OK);
        assertThat(err.toString(StandardCharsets.UTF_8)).containsPattern("read [0-9,]+ of about [0-9,]+");
        err.reset();
        assertThat(run("full-sync", "--no-progress", "--config", config.toString()))
                .isEqualTo(Cli.OK);
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("full sync: read");
    }

    @Test
    void refusedApsisCredentialsEndTheRunAfterOneTokenRequestNamingTheSettingNotTheSecret() throws Exception {
        Path config = config("apsis.clientSecret=wrong-secret-4711");

        assertThat(run("full-sync", "--config", config.toString())).isEqualTo(Cli.FAILED);

        assertThat(output())
                .contains("apsis.clientId")
                .contains("apsis.clientSecret")
                .doesNotContain("wrong-secret-4711");
        assertThat(apsis.journal().count("POST /oauth/token")).isEqualTo(1);
        assertThat(apsis.profileCount()).isZero();
    }

    @Test
    void invalidSetupExitsThreeListingTheProblems() throws Exception {
        Path config = config("mapping.F_NOPE=usercreated.attributes.nope-0000000000");
        assertThat(run("validate", "--config", config.toString())).isEqualTo(Cli.INVALID_SETUP);
        assertThat(output())
                .contains("problem: Efficy: contact field F_NOPE")
                .contains("usercreated.attributes.nope-0000000000");
    }

    @Test
    void badConfigurationExitsTwoNamingTheKey() throws Exception {
        Path missingEnv = config("efficy.apiKey=${NOT_SET_ANYWHERE}");
        assertThat(run("validate", "--config", missingEnv.toString())).isEqualTo(Cli.USAGE);
        assertThat(output()).contains("efficy.apiKey: environment variable NOT_SET_ANYWHERE is not set");

        err.reset();
        assertThat(run(
                        "full-sync",
                        "--config",
                        config("sync.stopMatching=SOMETIMES").toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(output()).contains("sync.stopMatching: 'SOMETIMES' is not one of");

        err.reset();
        assertThat(run(
                        "full-sync",
                        "--config",
                        config("mapping.NAME=com.apsis1.attributes.lastname:COLOUR")
                                .toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(output()).contains("mapping.NAME: unknown converter 'COLOUR'");

        err.reset();
        assertThat(run(
                        "full-sync",
                        "--config",
                        config("response.OPENED=frobnicate").toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(output()).contains("response.OPENED: 'frobnicate' is not history");

        // Each of these exited 1, or 0, or named the wrong key before (fault probe, #12 finding 9).
        String[][] cases = {
            {"taskWebhook.mode=hmca", "taskWebhook.mode: 'hmca' is not one of BEARER, HMAC"},
            {"reverse.window=-P1D", "reverse.window: '-P1D' must be positive"},
            {"efficy.url=ftp://crm.example.com/crm", "efficy.url: is not an absolute http(s) URL"},
            {
                "efficy.url=http://crm.example.com/crm",
                "efficy.url: plain http:// is refused beyond 127.0.0.1 and"
                        + " localhost; use https, or set efficy.allowInsecureHttp=true"
            },
            {"webhooks.efficySecret=too-short", "webhooks.efficySecret: must be at least 16 characters"},
            {"mapping.NAME=:TEXT", "mapping.NAME: names no APSIS attribute"},
            {"sync.clockSkew=-PT1M", "sync.clockSkew: '-PT1M' must not be negative"},
            {"efficy.customer=\\uZZZZ", "is not a valid properties file"}
        };
        for (String[] c : cases) {
            err.reset();
            out.reset();
            assertThat(run("full-sync", "--config", config(c[0]).toString()))
                    .as(c[0])
                    .isEqualTo(Cli.USAGE);
            assertThat(output()).as(c[0]).contains(c[1]);
        }
        err.reset();
        assertThat(run(
                        "serve",
                        "--config",
                        config("serve.address=no-such-host.invalid").toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(output()).contains("serve.address: 'no-such-host.invalid' cannot be resolved");

        err.reset();
        assertThat(run("full-sync", "--config", "/nonexistent/crmsync.properties"))
                .isEqualTo(Cli.USAGE);
        assertThat(output()).contains("--config: file /nonexistent/crmsync.properties does not exist");

        err.reset();
        assertThat(run("sing")).isEqualTo(Cli.USAGE);
        assertThat(output()).contains("Unmatched argument at index 0: 'sing'").contains("Usage: crmsync");
        err.reset();
        assertThat(run("validate")).isEqualTo(Cli.USAGE);
        assertThat(output()).contains("Missing required option: '--config=FILE'");
        err.reset();
        assertThat(run("full-sync", "--config", config("").toString(), "--dry-runn"))
                .isEqualTo(Cli.USAGE);
        assertThat(output()).contains("Unknown option: '--dry-runn'");
    }

    @Test
    void everyCommandHasHelpAndTheJarHasAVersion() {
        assertThat(run("--help")).isEqualTo(Cli.OK);
        assertThat(output())
                .contains("Usage: crmsync [-hV] [--log-format=FORMAT] COMMAND")
                .contains("full-sync")
                .contains("reverse-sync")
                .contains("sync-queries")
                .contains("serve")
                .contains("config")
                .contains("Exit statuses:");
        for (String command :
                new String[] {"validate", "full-sync", "poll", "reverse-sync", "sync-queries", "serve", "config"}) {
            out.reset();
            assertThat(run(command, "--help")).isEqualTo(Cli.OK);
            assertThat(output())
                    .contains("Usage: crmsync " + command)
                    .contains("--config=FILE")
                    .contains("-D=KEY=VALUE");
        }
        out.reset();
        assertThat(run("--version")).isEqualTo(Cli.OK);
        assertThat(output()).containsPattern("crmsync \\d+\\.\\d+\\.\\d+");
    }

    @Test
    void theEnvironmentAndDashDOverrideTheFileAndConfigPrintsItWithSecretsMasked() throws Exception {
        Path file = config("efficy.customer=from-file");
        Map<String, String> withEnv = new HashMap<>(env);
        withEnv.put("CRMSYNC_APSIS_SECTION", "com.apsis1.sections.from-env");
        withEnv.put("CRMSYNC_EFFICY_API_KEY", "key-from-the-environment-123");
        Cli cli = new Cli(
                withEnv,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new Properties());
        assertThat(cli.run(new String[] {
                    "config",
                    "--config",
                    file.toString(),
                    "-D",
                    "efficy.customer=from-dash-d",
                    "-D",
                    "sync.concurrency=3"
                }))
                .isEqualTo(Cli.OK);
        String printed = output();
        assertThat(printed)
                .contains("efficy.customer=from-dash-d  # -D")
                .contains("apsis.section=com.apsis1.sections.from-env  # environment CRMSYNC_APSIS_SECTION")
                .contains("sync.concurrency=3  # -D")
                .contains("efficy.apiKey=****  # environment CRMSYNC_EFFICY_API_KEY")
                .contains("apsis.clientSecret=${APSIS_SECRET}  # file")
                .doesNotContain("key-from-the-environment-123")
                .doesNotContain(apsis.clientSecret())
                .doesNotContain(efficy.apiKey());
        assertThat(printed).contains("sync.clockSkew=PT5M  # default");
        assertThat(ConfigKey.envName("webhooks.efficySecret")).isEqualTo("CRMSYNC_WEBHOOKS_EFFICY_SECRET");
        // An override is used, not only printed: a bad value from -D names its key.
        err.reset();
        assertThat(run("full-sync", "--config", file.toString(), "-D", "sync.concurrency=0"))
                .isEqualTo(Cli.USAGE);
        assertThat(output()).contains("sync.concurrency: '0' must be between 1 and 64");
    }

    @Test
    void serveAnswersBothWebhooks() throws Exception {
        Path config = config("");
        Cli cli = new Cli(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        CompletableFuture<Integer> serving =
                CompletableFuture.supplyAsync(() -> cli.run(new String[] {"serve", "--config", config.toString()}));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (cli.server() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        URI base = cli.server().baseUri();
        assertThat(base.getHost()).isEqualTo("127.0.0.1");
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            String update = "{\"records\":[{\"table\":11000,\"key\":3,\"operation\":\"Update\"}]}";
            HttpResponse<String> noSecret = http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/efficy"))
                            .POST(HttpRequest.BodyPublishers.ofString(update))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noSecret.statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/efficy/not-the-secret"))
                            .POST(HttpRequest.BodyPublishers.ofString(update))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            HttpResponse<String> change = http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/efficy/efficy-hook-secret-0123"))
                            .POST(HttpRequest.BodyPublishers.ofString(update))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(change.statusCode()).isEqualTo(200);
            assertThat(change.body()).contains("\"seen\":1");
            HttpResponse<String> byHeader = http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/efficy"))
                            .header("X-Crmsync-Secret", "efficy-hook-secret-0123")
                            .POST(HttpRequest.BodyPublishers.ofString(update))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(byHeader.statusCode()).isEqualTo(200);
            // A refusal that quotes hostile input is still one valid JSON document.
            HttpResponse<String> bad = http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/efficy/efficy-hook-secret-0123"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"table\":11000,\"key\":1,"
                                    + "\"operation\":\"Merge\\\"}\\u0000\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(new ObjectMapper().readTree(bad.body()).path("error").asText())
                    .contains("operation must be Create, Update or Delete");

            HttpResponse<String> task = http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/apsis-task"))
                            .header("Authorization", "Bearer cli-test-task-secret-123456")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"profile_key\":\"3\",\"subject\":\"From serve\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(task.statusCode()).isEqualTo(200);
            assertThat(task.body()).contains("CREATED");
            assertThat(efficy.activitiesOf(3))
                    .anySatisfy(a -> assertThat(a.get("USERS")).isEqualTo(List.of(169L)));
            HttpResponse<String> unsigned = http.send(
                    HttpRequest.newBuilder(base.resolve("/webhooks/apsis-task"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).isEqualTo(401);

            // The Prometheus text: the webhook's sync and the requests it made are counted.
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("crmsync_runs_seconds_count{job=\"webhook\",outcome=\"finished\"}")
                    .contains("crmsync_client_requests_seconds_count{outcome=\"success\",route=\"")
                    .contains("crmsync_quarantined")
                    .contains("crmsync_poll_lag_seconds")
                    .contains("jvm_memory_used_bytes")
                    .contains("process_cpu_usage")
                    .doesNotContain(efficy.apiKey())
                    .doesNotContain("efficy-hook-secret-0123");
            assertThat(OpsFiles.used("alerts-serve.yml")).isGreaterThan(2);
            assertThat(OpsFiles.missing("alerts-serve.yml", metrics.body()))
                    .as("metrics the serve alert rules use that serve does not serve")
                    .isEmpty();
        } finally {
            cli.stop();
        }
        assertThat(serving.get()).isEqualTo(Cli.OK);
    }

    @Test
    void serveRunsThePollerOnItsSchedule() throws Exception {
        Path config = config("schedule.pollInterval=PT0.2S");
        Cli cli = new Cli(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        CompletableFuture<Integer> serving =
                CompletableFuture.supplyAsync(() -> cli.run(new String[] {"serve", "--config", config.toString()}));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (apsis.profileCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(apsis.profileCount())
                    .as("the first run, a full sync, synced the contacts")
                    .isPositive();
            efficy.updateContact(5, Map.of("FIRSTNAME", "Scheduled"));
            while (!"Scheduled"
                            .equals(apsis.profile("com.apsis1.keyspaces.crm-id", "5")
                                    .flatMap(p -> p.attribute(
                                            "com.apsis1.sections.default", "com.apsis1.attributes.firstname"))
                                    .orElse(null))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(apsis.profile("com.apsis1.keyspaces.crm-id", "5")
                            .orElseThrow()
                            .attribute("com.apsis1.sections.default", "com.apsis1.attributes.firstname"))
                    .contains("Scheduled");
        } finally {
            while (cli.server() == null && !serving.isDone()) {
                Thread.sleep(20);
            }
            cli.stop();
        }
        assertThat(serving.get()).isEqualTo(Cli.OK);
    }

    @Test
    void aConfigurationValidBeforeStillValidatesWithWarningsNamingEachChange() throws Exception {
        // Keys as the previous release wrote them, a response mapping without response.eventTypeField,
        // and an Efficy without the custom field F_EVENT_TYPE, as a stock Efficy is.
        efficy.database().update("alter table ACTIONS drop column F_EVENT_TYPE");
        Path config = config(String.join(
                "\n",
                "serve.pollInterval=PT1M",
                "serve.reverseInterval=PT15M",
                "serve.queryInterval=PT1H",
                "serve.efficyWebhookSecret=efficy-hook-secret-0123",
                "response.BOUNCED=history,set:F_BOUNCED=1"));
        String file = Files.readString(config)
                .replace("webhooks.efficySecret=efficy-hook-secret-0123\n", "")
                .replace("schedule.pollInterval=PT0S\n", "")
                .replace("schedule.reverseInterval=PT0S\n", "");
        Files.writeString(config, file);

        assertThat(run("validate", "--config", config.toString())).as(output()).isEqualTo(Cli.OK);
        assertThat(output())
                .contains("setup is valid")
                .contains("warning: serve.pollInterval is now called schedule.pollInterval; read as such")
                .contains("warning: serve.reverseInterval is now called schedule.reverseInterval")
                .contains("warning: serve.efficyWebhookSecret is now called webhooks.efficySecret")
                .doesNotContain("F_EVENT_TYPE");
    }

    @Test
    void validateChecksOnlyWhatTheConfiguredJobsUse() throws Exception {
        efficy.database().update("alter table ACTIONS drop column F_SOURCE_ID");
        assertThat(run("validate", "--config", config("taskWebhook.secret=").toString()))
                .as(output())
                .isEqualTo(Cli.OK);
        out.reset();
        assertThat(run("validate", "--config", config("").toString())).isEqualTo(Cli.INVALID_SETUP);
        assertThat(output()).contains("problem: Efficy: Acti field F_SOURCE_ID (delivery ids of tasks)");
        out.reset();
        assertThat(run(
                        "validate",
                        "--config",
                        config("schedule.reverseInterval=PT15M\ntaskWebhook.secret=")
                                .toString()))
                .isEqualTo(Cli.INVALID_SETUP);
        assertThat(output()).contains("problem: Efficy: Acti field F_SOURCE_ID (source ids of history records)");
    }

    @Test
    void anUnknownKeyIsNamedWithTheNearestOneAndRefusedUnderStrict() throws Exception {
        Path config = config("efficy.apikey=${EFFICY_KEY}");
        assertThat(run("validate", "--config", config.toString())).isEqualTo(Cli.OK);
        assertThat(output()).contains("warning: efficy.apikey is not a key; did you mean efficy.apiKey?");
        err.reset();
        assertThat(run("validate", "--strict", "--config", config.toString())).isEqualTo(Cli.USAGE);
        assertThat(output()).contains("configuration error: efficy.apikey: unknown keys (strict)");
        err.reset();
        assertThat(run("validate", "--config", config("cluster.threads=4").toString()))
                .isEqualTo(Cli.OK);
        assertThat(output()).contains("warning: cluster.threads is not a key here (file configuration)");
    }

    @Test
    void syncQueriesTagsTheStoredQuerysMembers() throws Exception {
        efficy.addStoredQuery(31, "Gold customers", "select K_CONTACT from CONTACTS where F_CUSTOMER_TIER = 'Gold'");
        apsis.addTag("usercreated.tags.gold-customers-p6q7r8s9t0", "Gold customers");
        Path config = config("query.1.key=31\nquery.1.tag=usercreated.tags.gold-customers-p6q7r8s9t0");
        assertThat(run("full-sync", "--config", config.toString())).isEqualTo(Cli.OK);
        out.reset();
        assertThat(run("sync-queries", "--config", config.toString())).isEqualTo(Cli.OK);
        assertThat(output()).containsPattern("tag changes [1-9]");
        long tagged = efficy
                .database()
                .rows("select K_CONTACT from CONTACTS where F_CUSTOMER_TIER = 'Gold'" + " and OPENED = '1'")
                .stream()
                .map(r -> ((Number) r.get("K_CONTACT")).longValue())
                .filter(k -> apsis.profile("com.apsis1.keyspaces.crm-id", Long.toString(k))
                        .map(p -> p.tags("com.apsis1.sections.default")
                                .contains("usercreated.tags.gold-customers-p6q7r8s9t0"))
                        .orElse(false))
                .count();
        assertThat(tagged).isPositive();
    }

    @Test
    void theEmulatorsConfigurationValidatesAsPrinted() {
        // The file names ports 8081 and 8082; this test's emulators listen on free ports instead.
        assertThat(run(
                        "validate",
                        "--config",
                        "crmsync.properties.emulators",
                        "-D",
                        "efficy.url=" + efficy.baseUri() + "/crm",
                        "-D",
                        "apsis.baseUrl=" + apsis.baseUri(),
                        "-D",
                        "state.jdbcUrl=jdbc:h2:mem:emulators-config"))
                .as(output())
                .isEqualTo(Cli.OK);
        assertThat(output()).contains("setup is valid").doesNotContain("warning");
    }

    @Test
    void aRefusedEfficyKeyInValidateNamesTheKeysToCheck() throws Exception {
        assertThat(run(
                        "validate",
                        "--config",
                        config("efficy.apiKey=not-the-key").toString()))
                .isEqualTo(Cli.INVALID_SETUP);
        assertThat(output())
                .contains("problem: Efficy: the credentials were refused")
                .contains("check efficy.apiKey (or efficy.user and efficy.password) and efficy.customer")
                .doesNotContain("not-the-key");
    }

    @Test
    void anUnreachableServiceIsNamedWithItsHostAndWhy() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(run(
                        "full-sync",
                        "--config",
                        config("efficy.url=http://127.0.0.1:" + port + "/crm").toString()))
                .isEqualTo(Cli.FAILED);
        assertThat(output()).contains("cannot connect to 127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void aStateStoreHeldByAnotherProcessIsAFailureNotAConfigurationError() throws Exception {
        Path dir = Files.createTempDirectory("locked");
        String url = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath();
        String h2 = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("h2-"))
                .findFirst()
                .orElseThrow();
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        h2,
                        "org.h2.tools.Shell",
                        "-url",
                        url)
                .redirectErrorStream(true)
                .start();
        try {
            Awaits.until("the other process to hold the file", () -> Files.exists(dir.resolve("state.mv.db")));
            assertThat(run(
                            "full-sync",
                            "--config",
                            config("state.jdbcUrl=" + url).toString()))
                    .isEqualTo(Cli.FAILED);
            assertThat(output())
                    .contains("the state store at state.jdbcUrl cannot be opened")
                    .doesNotContain("configuration error");
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    @Test
    void aRunThatRefusesEveryWriteStopsEarlyAndExitsOne() throws Exception {
        assertThat(run(
                        "full-sync",
                        "--config",
                        config("consent.1.channel=com.apsis1.channels.pigeon").toString()))
                .isEqualTo(Cli.FAILED);
        assertThat(output()).containsPattern("APSIS refused all \\d+ consent writes it tried and accepted none");

        err.reset();
        out.reset();
        long broken = efficy.createContact(Map.of("NAME", "Broken", "EMAIL1", "not-an-address"));
        Path onlyBroken = config("condition.2.field=NAME\ncondition.2.op=equals\ncondition.2.value=Broken");
        assertThat(run("full-sync", "--config", onlyBroken.toString()))
                .as(output())
                .isEqualTo(Cli.FAILED);
        assertThat(output())
                .contains("quarantined contact " + broken)
                .contains("every contact it had to write was quarantined (1), none written");
    }
}

package io.crmsync.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.cli.Cli;
import io.crmsync.cli.OpsFiles;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Definitions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code crmsync cluster} and {@code crmsync tenant ...} on the PostgreSQL of {@code CRMSYNC_PG_URL}. */
class ClusterCommandTest {

    private EfficyEmulator efficy;
    private ApsisEmulator apsis;
    private EfficyEmulator acme;
    private ApsisEmulator acmeAccount;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> env = Map.of(
            "TENANT_ACME_EFFICY",
            "acme-key",
            "TENANT_ACME_APSIS",
            "acme-secret",
            "TENANT_ACME_HOOK",
            "acme-hook-secret-0123456789");
    private Path dir;
    private String url;

    @BeforeEach
    void start() throws Exception {
        url = ClusterDatabase.fresh();
        efficy = EfficyEmulator.start();
        apsis = ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
        acme = efficy.addCustomer("acme", "acme-key").seedContacts(20, 3);
        acmeAccount = apsis.addAccount("acme-client", "acme-secret");
        dir = Files.createTempDirectory("cluster-cli");
    }

    @AfterEach
    void stop() {
        if (efficy != null) {
            efficy.close();
            apsis.close();
        }
    }

    private Path node(String extra) throws Exception {
        Path file = dir.resolve("node.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "cluster.jdbcUrl=" + url,
                        "cluster.nodeName=cli-node",
                        "cluster.allowInsecureHttp=true",
                        "cluster.tenantHosts=127.0.0.1",
                        "cluster.heartbeatInterval=PT0.5S",
                        "cluster.pollingInterval=PT0.5S",
                        "serve.port=0",
                        extra));
        return file;
    }

    private Path tenant(String apsisSecret) throws Exception {
        Path file = dir.resolve("acme.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "efficy.url=" + efficy.baseUri() + "/crm",
                        "efficy.customer=acme",
                        "efficy.apiKey=${TENANT_ACME_EFFICY}",
                        "apsis.baseUrl=" + apsis.baseUri(),
                        "apsis.clientId=acme-client",
                        "apsis.clientSecret=" + apsisSecret,
                        "apsis.section=" + Definitions.SECTION,
                        "mapping.EMAIL1=" + Definitions.EMAIL,
                        "serve.efficyWebhookSecret=${TENANT_ACME_HOOK}",
                        "serve.pollInterval=PT0S",
                        "serve.reverseInterval=PT0S",
                        "serve.queryInterval=PT0S"));
        return file;
    }

    private int run(String... args) {
        return cli().run(args);
    }

    private Cli cli() {
        return new Cli(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(String method, URI uri, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tenantsAreImportedInBulkEachOnItsOwnAndABrokenLineIsNamed() throws Exception {
        Path node = node("");
        String acmeConfig = "\"efficy.url\":\"" + efficy.baseUri() + "/crm\",\"efficy.customer\":\"acme\","
                + "\"efficy.apiKey\":\"${TENANT_ACME_EFFICY}\",\"apsis.baseUrl\":\"" + apsis.baseUri() + "\","
                + "\"apsis.clientId\":\"acme-client\",\"apsis.clientSecret\":\"${TENANT_ACME_APSIS}\","
                + "\"apsis.section\":\"" + Definitions.SECTION + "\",\"mapping.EMAIL1\":\"" + Definitions.EMAIL
                + "\",\"schedule.pollInterval\":\"PT1H\"";
        Path file = dir.resolve("tenants.jsonl");
        Files.writeString(
                file,
                "{\"id\":\"acme\",\"config\":{" + acmeConfig + "}}\n\n"
                        + "{\"id\":\"elsewhere\",\"config\":{"
                        + acmeConfig
                                .replace(apsis.baseUri().toString(), "https://x.example")
                                .replace("TENANT_ACME", "TENANT_ELSEWHERE")
                        + "}}\n");
        assertThat(run("tenant", "import", file.toString(), "--config", node.toString()))
                .isEqualTo(Cli.INVALID_SETUP);
        assertThat(output())
                .contains("elsewhere: not added: ")
                .contains("imported 1 of 2 tenants in")
                .contains("each validated live");
        assertThat(run("tenant", "list", "--config", node.toString())).isEqualTo(Cli.OK);
        assertThat(output()).contains("acme active v1");

        Path broken = dir.resolve("broken.jsonl");
        Files.writeString(broken, "{\"id\":\"beta\",\"config\":{}}\n{\"id\":\"gamma\"\n");
        out.reset();
        err.reset();
        assertThat(run("tenant", "import", broken.toString(), "--config", node.toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(output()).contains("broken.jsonl:2").contains("not a JSON object");
        assertThat(run("tenant", "list", "--config", node.toString())).isEqualTo(Cli.OK);
        assertThat(output()).doesNotContain("beta");
    }

    @Test
    void tenantsAreManagedFromTheCommandLineAndANodeRunsTheirWorkAndAnswersTheirWebhooks() throws Exception {
        Path node = node("");
        assertThat(run(
                        "tenant",
                        "add",
                        "acme",
                        "--config",
                        node.toString(),
                        "--tenant-config",
                        tenant("acme-secret").toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(output())
                .contains("apsis.clientSecret holds a literal secret")
                .doesNotContain("acme-secret\n");

        assertThat(run(
                        "tenant",
                        "add",
                        "acme",
                        "--config",
                        node.toString(),
                        "--tenant-config",
                        tenant("${TENANT_ACME_APSIS}").toString()))
                .isEqualTo(Cli.OK);
        assertThat(run("tenant", "list", "--config", node.toString())).isEqualTo(Cli.OK);
        assertThat(output()).contains("acme active v1; no run yet");
        assertThat(run("tenant", "full-sync", "acme", "--config", node.toString()))
                .isEqualTo(Cli.OK);
        assertThat(run("tenant", "full-sync", "acme", "--config", node.toString()))
                .isEqualTo(Cli.OK);
        assertThat(output())
                .contains("queued a full sync of acme")
                .contains("a full sync of acme is queued or running already");

        Cli running = cli();
        Thread thread = new Thread(() -> running.run(new String[] {"cluster", "--config", node.toString()}));
        thread.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((running.clusterServer() == null || !running.clusterServer().serving())
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            URI base = running.clusterServer().baseUri();
            HttpResponse<String> health = send("GET", base.resolve("/health"), null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"node\":\"cli-node\"");
            assertThat(send("POST", base.resolve("/t/acme/webhooks/efficy/wrong-secret"), "{}")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(send("POST", base.resolve("/t/nobody/webhooks/efficy/x"), "{}")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(send("POST", base.resolve("/t/acme/webhooks/apsis-task"), "{}")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(send("GET", base.resolve("/t/acme/other"), null).statusCode())
                    .isEqualTo(404);
            while (acmeAccount.profileCount() < 15 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(acmeAccount.profileCount()).isGreaterThanOrEqualTo(15);
            assertThat(apsis.profileCount()).isZero();
            long key = acme.createContact(Map.of("NAME", "Hook", "EMAIL1", "hook@example.com"));
            String webhook = "{\"database\":\"acme\",\"version\":\"1\",\"records\":[{\"table\":11000,\"key\":" + key
                    + ",\"operation\":\"Create\",\"user\":\"APIUSER\",\"date\":\"2026-11-29T08:00:00Z\",\"fields\":{}}]}";
            assertThat(send("POST", base.resolve("/t/acme/webhooks/efficy/acme-hook-secret-0123456789"), webhook)
                            .statusCode())
                    .isEqualTo(200);
            while (acmeAccount.profile(Definitions.CRM_ID, Long.toString(key)).isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(acmeAccount.profile(Definitions.CRM_ID, Long.toString(key)))
                    .isPresent();
            // The full sync's profiles show before its run ends: wait for the run itself.
            while (!send("GET", base.resolve("/health"), null).body().contains("\"runsSucceeded\":1")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            // The run's duration is recorded by the run-end listener just after the counter moves.
            while (!send("GET", base.resolve("/metrics"), null)
                            .body()
                            .contains("crmsync_cluster_run_duration_seconds_count")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(send("GET", base.resolve("/metrics"), null).body())
                    .contains("crmsync_cluster_runs_total{outcome=\"succeeded\"} 1.0")
                    .contains("crmsync_cluster_engines")
                    .contains("crmsync_cluster_deferred_total")
                    .contains("crmsync_cluster_executions_due")
                    .contains("crmsync_cluster_executions_overdue 0.0")
                    .containsPattern(
                            "crmsync_cluster_run_duration_seconds_count\\{job=\"(fullSync|poll)\",outcome=\"succeeded\"}")
                    .contains("crmsync_cluster_run_duration_seconds_bucket{job=\"")
                    .contains("jvm_memory_used_bytes")
                    .contains("jvm_threads_live_threads")
                    .contains("process_cpu_usage")
                    .contains("hikaricp_connections_active{pool=\"crmsync-cluster\"}");

            // The shipped alert rules and dashboard use only metrics a node serves.
            String scrape = send("GET", base.resolve("/metrics"), null).body();
            for (String file : new String[] {"alerts-cluster.yml", "grafana-cluster.json"}) {
                assertThat(OpsFiles.used(file)).as(file).isGreaterThan(5);
                assertThat(OpsFiles.missing(file, scrape))
                        .as("metrics %s uses that a node does not serve", file)
                        .isEmpty();
            }
            assertThat(new ObjectMapper()
                            .readTree(OpsFiles.read("grafana-cluster.json"))
                            .get("panels")
                            .size())
                    .isGreaterThan(5);

            // An operator's view from another process: the live node, the tenant's latest run.
            out.reset();
            long beat = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode status;
            do {
                out.reset();
                assertThat(run("status", "--config", node.toString(), "--json")).isEqualTo(Cli.OK);
                status = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
            } while (status.get("nodes").isEmpty() && System.nanoTime() < beat);
            assertThat(status.get("nodes").get(0).get("name").asText()).isEqualTo("cli-node");
            assertThat(status.get("nodes").get(0).get("live").asBoolean()).isTrue();
            JsonNode tenant = status.get("tenants").get(0);
            assertThat(tenant.get("id").asText()).isEqualTo("acme");
            assertThat(tenant.get("lastRun").get("node").asText()).isEqualTo("cli-node");
            assertThat(tenant.get("fullSyncQueued").asBoolean())
                    .as("the full sync has run")
                    .isFalse();
            assertThat(status.get("overdue").asLong()).isZero();
            out.reset();
            assertThat(run("status", "--config", node.toString())).isEqualTo(Cli.OK);
            assertThat(output())
                    .contains("nodes: 1 live")
                    .contains("cli-node live")
                    .contains("tenants: 1")
                    .contains("acme active v1; last ")
                    .contains("overdue")
                    .containsPattern("APSIS accounts: [1-9][0-9]* busy in the last minute");
        } finally {
            running.stop();
            thread.join(20_000);
        }
        assertThat(thread.isAlive()).isFalse();
        out.reset();
        assertThat(run("tenant", "list", "--config", node.toString())).isEqualTo(Cli.OK);
        assertThat(output())
                .as("the tenant with its latest run")
                .containsPattern("acme active v1; last (fullSync|poll) succeeded on cli-node at 20\\d\\d-");

        assertThat(run("tenant", "remove", "acme", "--purge", "--config", node.toString()))
                .isEqualTo(Cli.OK);
        assertThat(output()).contains("removed acme; its state is purged");
        assertThat(run("tenant", "remove", "acme", "--config", node.toString())).isEqualTo(Cli.USAGE);
        assertThat(output()).contains("there is no tenant acme");
        out.reset();
        err.reset();
        assertThat(run("tenant", "remove", "does-not-exist", "--purge", "--config", node.toString()))
                .isEqualTo(Cli.USAGE);
        assertThat(output()).contains("there is no tenant does-not-exist").doesNotContain("its state is purged");
    }

    @Test
    void aNodeWhoseDatabaseDoesNotAnswerWaitsAndSaysSoThenStartsOnceItAnswers() throws Exception {
        try (TcpGate gate = ClusterDatabase.gate(url, false)) {
            String original = url;
            url = ClusterDatabase.through(original, gate);
            Path file = node("");
            url = original;

            assertThat(run("tenant", "list", "--config", file.toString()))
                    .as("an admin command fails, and it is no configuration error")
                    .isEqualTo(Cli.FAILED);
            assertThat(output()).contains("does not answer").contains("check that PostgreSQL runs");

            Cli running = cli();
            AtomicInteger status = new AtomicInteger(-1);
            Thread thread =
                    new Thread(() -> status.set(running.run(new String[] {"cluster", "--config", file.toString()})));
            thread.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while ((running.clusterServer() == null || !output().contains("trying again in"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                URI base = running.clusterServer().baseUri();
                HttpResponse<String> health = send("GET", base.resolve("/health"), null);
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("\"status\":\"starting\"").contains("does not answer");
                HttpResponse<String> webhook = send("POST", base.resolve("/t/acme/webhooks/efficy/x"), "{}");
                assertThat(webhook.statusCode()).isEqualTo(503);
                assertThat(webhook.headers().firstValue("Retry-After")).isPresent();
                assertThat(thread.isAlive())
                        .as("the node waits for its database")
                        .isTrue();

                gate.open();
                while (!output().contains("serving on")
                        && System.nanoTime() < deadline + Duration.ofSeconds(60).toNanos()) {
                    Thread.sleep(100);
                }
                assertThat(output()).contains("serving on");
                assertThat(send("GET", base.resolve("/health"), null).body()).contains("\"status\":\"up\"");
            } finally {
                running.stop();
                thread.join(30_000);
            }
            assertThat(status.get()).isEqualTo(Cli.OK);
        }
    }

    @Test
    void aNodeFileWithoutItsDatabaseIsAConfigurationError() throws Exception {
        Path file = dir.resolve("empty.properties");
        Files.writeString(file, "cluster.threads=4\n");
        assertThat(run("cluster", "--config", file.toString())).isEqualTo(Cli.USAGE);
        assertThat(output()).contains("cluster.jdbcUrl").contains("is required");
        Files.writeString(file, "cluster.jdbcUrl=jdbc:h2:mem:x\n");
        assertThat(run("tenant", "list", "--config", file.toString())).isEqualTo(Cli.USAGE);
        assertThat(output()).contains("must be a PostgreSQL URL");
        Path shorter = node("cluster.retryFirst=PT1M\ncluster.retryMax=PT10S");
        assertThat(run("tenant", "list", "--config", shorter.toString())).isEqualTo(Cli.USAGE);
        assertThat(output()).contains("cluster.retryMax").contains("no shorter than cluster.retryFirst");
        Path zero = node("cluster.retryAttempts=0");
        assertThat(run("tenant", "list", "--config", zero.toString())).isEqualTo(Cli.USAGE);
        assertThat(output()).contains("cluster.retryAttempts");
    }
}

package io.crmsync.cli.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.cli.Cli;
import io.crmsync.cli.cluster.ClusterDatabase;
import io.crmsync.cli.reliability.ChildCli;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.http.Fault;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The cluster page in a real browser while a node is killed: two {@code crmsync cluster}
 * processes on one PostgreSQL; a tenant's full sync is held on Efficy's first answer so the page
 * can show which node runs it; that node gets kill -9, and the page (served by the other node,
 * with the same session cookie, since both share the token) shows it silent, the run held by the
 * survivor, a failover counted and, at the end, the run succeeded there. The APSIS emulator holds
 * the tenant's profiles after.
 */
class ClusterConsoleBrowserTest {

    private static final String TOKEN = "cluster-console-token-for-the-test";
    private static final Pattern SERVING = Pattern.compile("cluster node (\\S+) serving on (http://\\S+)");

    private final EfficyEmulator efficy = EfficyEmulator.start();
    private final ApsisEmulator apsis =
            ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    private final List<ChildCli> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (ChildCli n : nodes) {
            n.kill9();
        }
        efficy.close();
        apsis.close();
    }

    @Test
    void theClusterPageShowsAKilledNodesRunMovingToTheSurvivor() throws Exception {
        efficy.addCustomer("acme", "acme-key").seedContacts(30, 5);
        ApsisEmulator acmeAccount = apsis.addAccount("acme-client", "acme-secret");
        String url = ClusterDatabase.fresh();
        Path dir = Files.createTempDirectory("cluster-console");
        Map<String, String> env = Map.of(
                "TENANT_ACME_EFFICY", "acme-key",
                "TENANT_ACME_APSIS", "acme-secret",
                "CRMSYNC_CONSOLE_TOKEN", TOKEN);
        Path tenant = dir.resolve("acme.properties");
        Files.writeString(
                tenant,
                String.join(
                        "\n",
                        "efficy.url=" + efficy.baseUri() + "/crm",
                        "efficy.customer=acme",
                        "efficy.apiKey=${TENANT_ACME_EFFICY}",
                        "apsis.baseUrl=" + apsis.baseUri(),
                        "apsis.clientId=acme-client",
                        "apsis.clientSecret=${TENANT_ACME_APSIS}",
                        "apsis.section=" + Definitions.SECTION,
                        "mapping.EMAIL1=" + Definitions.EMAIL,
                        "schedule.pollInterval=PT1H"));
        Map<String, URI> consoles = new LinkedHashMap<>();
        for (String name : List.of("node-a", "node-b")) {
            Path file = dir.resolve(name + ".properties");
            Files.writeString(
                    file,
                    String.join(
                            "\n",
                            "cluster.jdbcUrl=" + url,
                            "cluster.nodeName=" + name,
                            "cluster.allowInsecureHttp=true",
                            "cluster.tenantHosts=127.0.0.1",
                            "cluster.heartbeatInterval=PT0.5S",
                            "cluster.pollingInterval=PT0.5S",
                            "console.token=${CRMSYNC_CONSOLE_TOKEN}",
                            "serve.port=0"));
            ChildCli node = ChildCli.start(env, dir.resolve(name + ".log"), "cluster", "--config", file.toString());
            nodes.add(node);
            consoles.put(name, awaitServing(node, name));
        }
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = consoles.get("node-a").resolve("/metrics");
        assertThat(http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .as("a node's metrics with the console on, without the token")
                .isEqualTo(401);
        assertThat(http.send(
                                HttpRequest.newBuilder(metrics)
                                        .header("Authorization", "Bearer " + TOKEN)
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Path nodeA = dir.resolve("node-a.properties");
        assertThat(new Cli(env, print, print).run(new String[] {
                    "tenant", "add", "acme", "--config", nodeA.toString(), "--tenant-config", tenant.toString()
                }))
                .as(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(Cli.OK);
        // The first two Efficy requests wait 20 s each: the dying node's, then the survivor's.
        efficy.faults().next(2, Fault.delay(Duration.ofSeconds(20)));
        assertThat(new Cli(env, print, print)
                        .run(new String[] {"tenant", "full-sync", "acme", "--config", nodeA.toString()}))
                .as(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(Cli.OK);

        System.out.println(out.toString(StandardCharsets.UTF_8)); // the admin commands' answers, for a failure's report
        try (Browser b = Browser.open(consoles.get("node-a"))) {
            b.run("cluster", () -> {
                b.login(TOKEN);
                b.go("/console/cluster");
                String[] holder = new String[1];
                b.reloadUntil("a node running acme's full sync", 120, () -> {
                    for (String name : consoles.keySet()) {
                        if (b.textNow("node-" + name).contains("acme fullSync")) {
                            holder[0] = name;
                            return true;
                        }
                    }
                    return false;
                });
                String dying = holder[0];
                String survivor = dying.equals("node-a") ? "node-b" : "node-a";
                b.screenshot("cluster-before-kill");
                nodes.get(List.copyOf(consoles.keySet()).indexOf(dying)).kill9();

                // The same session on the survivor's console: both nodes share the token.
                b.go(consoles.get(survivor).resolve("/console/cluster").toString());
                b.reloadUntil(
                        dying + " silent", 120, () -> b.textNow("node-" + dying).contains("silent"));
                b.reloadUntil(
                        "the run on " + survivor,
                        120,
                        () -> b.textNow("node-" + survivor).contains("acme fullSync")
                                || b.textNow("tenant-acme").contains("succeeded on " + survivor));
                b.screenshot("cluster-after-kill");
                b.reloadUntil(
                        "the run succeeded on " + survivor,
                        240,
                        () -> b.textNow("tenant-acme").contains("last fullSync succeeded on " + survivor));
                assertThat(Long.parseLong(b.driver()
                                .findElement(By.cssSelector("#figure-failovers b"))
                                .getText()))
                        .as("failovers, last day")
                        .isPositive();
                b.go(consoles.get(survivor).resolve("/console/").toString());
                assertThat(b.text("jobs")).contains("acme").contains("fullSync");
                assertThat(b.driver().findElement(By.tagName("main")).getText())
                        .contains("imports in flight")
                        .contains("APSIS accounts busy, last minute")
                        .contains("poll lag");
            });
        }
        assertThat(acmeAccount.profileCount())
                .as("acme's profiles after the failover")
                .isPositive();
    }

    private static URI awaitServing(ChildCli node, String name) throws Exception {
        for (int i = 0; i < 2400; i++) {
            Matcher m = SERVING.matcher(node.output());
            if (m.find()) {
                return URI.create(m.group(2));
            }
            assertThat(node.alive()).as(name + " exited: " + node.output()).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never served: " + node.output());
    }
}

package io.crmsync.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.cli.cluster.ClusterDatabase;
import io.crmsync.cluster.ClusterNode;
import io.crmsync.cluster.TenantUrls;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.Definitions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * #23's memory attack on a cluster node at {@code -Xmx256m} (as {@link ChildCli} starts it): many
 * connections at once each send nearly a megabyte of webhook body, half of them with the tenant's
 * secret (admitted, so their bodies are read) and half without (refused from the head). Before
 * the fix, 160 such connections took a node at {@code -Xmx128m} down in half a second. The node
 * must answer each with a refusal or a 503, stay up, answer {@code /health} and queue a genuine
 * delivery afterwards. The number of connections is {@code crmsync.reliability.memoryAttack}
 * (default 320: 300 MB of bodies, more than the heap).
 */
class MemoryAttackTest {

    static final int CONNECTIONS = Integer.getInteger("crmsync.reliability.memoryAttack", 320);
    static final int BODY = 960 * 1024;
    static final String HOOK = "acme-hook-secret-0123456789";
    static final byte[] GENUINE = ("{\"database\":\"acme\",\"version\":\"1\",\"records\":[{\"table\":11000,\"key\":1,"
                    + "\"operation\":\"Update\",\"user\":\"APIUSER\",\"date\":\"2026-12-01T08:00:00Z\",\"fields\":{}}]}")
            .getBytes(StandardCharsets.UTF_8);

    private EfficyEmulator efficy;
    private ApsisEmulator apsis;
    private ChildCli node;
    private Path dir;

    @BeforeEach
    void start() throws Exception {
        String url = ClusterDatabase.fresh();
        dir = Files.createTempDirectory("crmsync-memory-attack");
        efficy = EfficyEmulator.start();
        apsis = ApsisEmulator.start();
        efficy.addCustomer("acme", "acme-key").seedContacts(3, 1);
        apsis.addAccount("acme-client", "acme-secret");
        Map<String, String> env =
                Map.of("TENANT_ACME_EFFICY", "acme-key", "TENANT_ACME_APSIS", "acme-secret", "TENANT_ACME_HOOK", HOOK);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        Properties p = new Properties();
        p.setProperty("efficy.url", efficy.baseUri() + "/crm");
        p.setProperty("efficy.customer", "acme");
        p.setProperty("efficy.apiKey", "${TENANT_ACME_EFFICY}");
        p.setProperty("apsis.baseUrl", apsis.baseUri().toString());
        p.setProperty("apsis.clientId", "acme-client");
        p.setProperty("apsis.clientSecret", "${TENANT_ACME_APSIS}");
        p.setProperty("apsis.section", Definitions.SECTION);
        p.setProperty("mapping.EMAIL1", Definitions.EMAIL);
        p.setProperty("webhooks.efficySecret", "${TENANT_ACME_HOOK}");
        p.setProperty("schedule.pollInterval", "PT0S");
        try (ClusterNode admin = ClusterNode.builder(ds)
                .name("admin")
                .tenantUrls(TenantUrls.of(List.of("127.0.0.1"), true))
                .secrets(env::get)
                .build()) {
            admin.admin().add("acme", p);
        }
        Path file = dir.resolve("node.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "cluster.jdbcUrl=" + url,
                        "cluster.nodeName=attacked",
                        "cluster.allowInsecureHttp=true",
                        "cluster.tenantHosts=127.0.0.1",
                        "serve.address=127.0.0.1",
                        "serve.port=0"));
        node = ChildCli.start(env, dir.resolve("node.log"), "cluster", "--config", file.toString());
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.kill9();
        }
        efficy.close();
        apsis.close();
    }

    private int port() throws Exception {
        Pattern serving = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
        for (int i = 0; i < 1_200; i++) {
            Matcher m = serving.matcher(node.output());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertThat(node.alive())
                    .as("the node runs; its output: %s", dir.resolve("node.log"))
                    .isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the node did not serve; its output is in " + dir.resolve("node.log"));
    }

    /** One attacking connection: a head declaring a body of {@link #BODY} bytes, then the body. */
    private static int attack(int port, boolean withSecret) {
        String path = "/t/acme/webhooks/efficy" + (withSecret ? "/" + HOOK : "");
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + BODY + "\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            try {
                for (int sent = 0; sent < BODY; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, BODY - sent));
                }
                out.flush();
            } catch (IOException refusedEarly) {
                // answered and closed before the whole body: read what it said
            }
            RawHttp.Answer answer = RawHttp.read(s.getInputStream());
            return answer.answered() ? answer.status() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void aNodeAt256MegabytesStaysUpAndAnswersUnderManyMegabyteBodiesAtOnce() throws Exception {
        int port = port();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService attackers = Executors.newFixedThreadPool(Math.min(CONNECTIONS, 160));
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            boolean withSecret = i % 2 == 0;
            all.add(attackers.submit(() -> statuses.computeIfAbsent(attack(port, withSecret), k -> new AtomicInteger())
                    .incrementAndGet()));
        }
        for (Future<?> f : all) {
            f.get();
        }
        attackers.shutdown();

        assertThat(node.alive()).as("the node after the attack").isTrue();
        assertThat(node.output()).doesNotContain("OutOfMemoryError");
        assertThat(statuses.keySet())
                .as("answers to the attack (-1: connection reset before an answer could be read)")
                .isSubsetOf(200, 400, 401, 408, 413, 503, -1);
        assertThat(statuses.getOrDefault(401, new AtomicInteger()).get())
                .as("calls without the secret, refused from the head")
                .isPositive();

        RawHttp.Answer health = RawHttp.send(port, RawHttp.request("GET", "/health", null), Duration.ofSeconds(30));
        assertThat(health.status()).isEqualTo(200);
        RawHttp.Answer genuine = RawHttp.send(
                port,
                RawHttp.request(
                        "POST",
                        "/t/acme/webhooks/efficy/" + HOOK,
                        new String(GENUINE, StandardCharsets.UTF_8),
                        "Content-Type: application/json"),
                Duration.ofSeconds(30));
        assertThat(genuine.status())
                .as("a genuine delivery after the attack: %s", genuine.body())
                .isEqualTo(200);
        System.out.printf(
                "MemoryAttackTest: %d connections of %d kB at -Xmx256m: answers %s; the node stayed up%n",
                CONNECTIONS, BODY / 1024, statuses);
    }
}

package io.crmsync.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} under hostile input: at least {@value #PER_ENDPOINT} seeded hostile requests to each
 * endpoint (malformed and oversized bodies, wrong secrets, bad chunking, NUL, overflowing numbers,
 * wrong methods, broken request lines), then slow connections. Every request gets an answer that
 * is not a server error, every answer of ours is one JSON document without a secret, nothing is
 * written to either service, and {@code /health} stays prompt throughout.
 *
 * <p>Larger: {@code mvn -pl cli test -Dtest=HostileServeTest -Dcrmsync.reliability.hostile=20000}.
 */
@Tag("reliability")
class HostileServeTest {

    static final int PER_ENDPOINT = Integer.getInteger("crmsync.reliability.hostile", 1_000);
    private static final Set<Integer> REFUSALS = Set.of(400, 401, 404, 405, 408, 413, 414, 415, 422, 431, 501, 505);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> LOG_CLOSED = new ArrayList<>();

    private Pair pair;
    private Cli cli;
    private CompletableFuture<Integer> serving;
    private int port;

    @BeforeEach
    void serve() throws Exception {
        pair = new Pair(150, 77);
        Path config = pair.config("jdbc:h2:file:" + pair.dir.resolve("state").toAbsolutePath());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(new Cli(pair.env(), print, print).run(new String[] {"full-sync", "--config", config.toString()}))
                .isEqualTo(Cli.OK);
        cli = new Cli(pair.env(), print, print);
        serving = CompletableFuture.supplyAsync(() -> cli.run(new String[] {"serve", "--config", config.toString()}));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (cli.server() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        port = cli.server().baseUri().getPort();
    }

    @AfterEach
    void stop() throws Exception {
        cli.stop();
        assertThat(serving.get()).isEqualTo(Cli.OK);
        pair.close();
    }

    /** A hostile request. */
    record Hostile(String kind, byte[] raw) {}

    private static String efficyPath(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> "/webhooks/efficy/" + Pair.HOOK_SECRET;
            case 1 -> "/webhooks/efficy/" + Pair.HOOK_SECRET.substring(0, 10 + r.nextInt(10));
            case 2 -> "/webhooks/efficy/" + Pair.HOOK_SECRET + "%00";
            default -> "/webhooks/efficy";
        };
    }

    private static String hostileBody(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "{\"records\":[{\"table\":11000,\"key\":18446744073709551643,\"operation\":\"Update\"}]}";
            case 1 -> "{\"records\":[{\"table\":11000,\"key\":-" + r.nextInt(100) + ",\"operation\":\"Delete\"}]}";
            case 2 -> "{\"records\":[{\"table\":11000,\"key\":1e400,\"operation\":\"Update\"}]}";
            case 3 -> "{\"records\":[" + "{\"table\":11000,\"key\":1,\"operation\":\"Update\"},".repeat(1_200) + "{}]}";
            case 4 -> "{\"records\":[{\"table\":11000,\"key\":\"1\u0000\",\"operation\":\"Update\u202E\"}]}";
            case 5 -> "{\"records\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
            case 6 -> "{\"records\":[{\"table\":11000,\"key\":" + (1 + r.nextInt(150)) + ",\"operation\":\"Delete\"}]}";
            case 7 -> "{\"subject\":\"\u0000\u202E\",\"profile_key\":\"99999999999999999999\"}";
            case 8 -> "{\"subject\":\"x\",\"profile_key\":\"" + (1 + r.nextInt(150)) + "\",\"due\":\"2026-13-45\"}";
            case 9 -> "\u0000".repeat(1 + r.nextInt(64));
            case 10 -> "{\"records\":[{\"table\":11000,\"key\":1,\"operation\":\"Update\"}";
            default -> {
                byte[] junk = new byte[1 + r.nextInt(2_000)];
                r.nextBytes(junk);
                yield new String(junk, StandardCharsets.ISO_8859_1);
            }
        };
    }

    private static Hostile hostile(Random r, Function<Random, String> path, String auth) {
        String p = path.apply(r);
        return switch (r.nextInt(10)) {
            case 0 ->
                new Hostile(
                        "wrong method", RawHttp.request(r.nextBoolean() ? "PUT" : "DELETE", p, hostileBody(r), auth));
            case 1 -> new Hostile("oversized", RawHttp.request("POST", p, "", auth, "Content-Length: 2000000"));
            case 2 ->
                new Hostile(
                        "bad chunking",
                        RawHttp.request("POST", p, "zz\r\n{}\r\n0\r\n\r\n", auth, "Transfer-Encoding: chunked"));
            case 3 ->
                new Hostile(
                        "overflowing chunk size",
                        RawHttp.request(
                                "POST",
                                p,
                                "FFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n",
                                auth,
                                "Transfer-Encoding: chunked"));
            case 4 ->
                new Hostile(
                        "chunked body",
                        RawHttp.request("POST", p, chunked(hostileBody(r)), auth, "Transfer-Encoding: chunked"));
            case 5 ->
                new Hostile(
                        "broken request line", ("POST " + p + " HTTP/9.9\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            case 6 ->
                new Hostile("oversized header", RawHttp.request("POST", p, "{}", auth, "X-Pad: " + "a".repeat(20_000)));
            case 7 ->
                new Hostile(
                        "NUL in the head",
                        ("POST " + p + " HTTP/1.1\r\nHost: x\u0000\r\nContent-Length: 2\r\n\r\n{}")
                                .getBytes(StandardCharsets.ISO_8859_1));
            case 8 ->
                new Hostile(
                        "both framings",
                        RawHttp.request(
                                "POST",
                                p,
                                "2\r\n{}\r\n0\r\n\r\n",
                                auth,
                                "Content-Length: 3",
                                "Transfer-Encoding: chunked"));
            default ->
                new Hostile(
                        "hostile body",
                        RawHttp.request("POST", p, hostileBody(r), auth, "Content-Type: application/json"));
        };
    }

    private static String chunked(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return Integer.toHexString(b.length) + "\r\n" + body + "\r\n0\r\n\r\n";
    }

    private Map<String, Integer> fire(
            String endpoint, Function<Random, String> path, Function<Random, String> auth, long seed) throws Exception {
        Random r = new Random(seed);
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        int resets = 0;
        for (int i = 0; i < PER_ENDPOINT; i++) {
            Hostile h = hostile(r, path, auth.apply(r));
            long sent = System.nanoTime();
            RawHttp.Answer a = RawHttp.send(port, h.raw(), WAIT);
            long tookMs = (System.nanoTime() - sent) / 1_000_000;
            statuses.merge(a.status() + "", 1, Integer::sum);
            if (!a.answered() && tookMs < WAIT.toMillis() - 1_000) {
                // Closed at once without a readable answer: about 1 in 10,000 here, of every kind, at
                // hundreds of new connections a second (an unparseable request's answer can also be
                // discarded by TCP, jetty/jetty.project#12079); 2 in 1,000 once on a loaded CI machine.
                // Counted, bounded and reported; a request left hanging is a failure.
                resets++;
                LOG_CLOSED.add(h.kind() + " after " + tookMs + " ms" + (a.reset() ? " (reset)" : ""));
            } else if (!a.answered()) {
                problems.add(h.kind() + ": no answer within " + WAIT);
            } else if (a.status() >= 500 && a.status() != 503 && a.status() != 501 && a.status() != 505) {
                problems.add(h.kind() + ": " + a.status());
            } else if (a.contentType().startsWith("application/json")) {
                try {
                    JSON.readTree(a.body());
                } catch (IOException e) {
                    problems.add(h.kind() + ": an answer that is not JSON: " + a.body());
                }
            }
            for (String secret : pair.env().values()) {
                if (a.body().contains(secret) || a.body().contains(Pair.HOOK_SECRET)) {
                    problems.add(h.kind() + ": a secret in the answer");
                }
            }
            if (a.answered() && a.status() != 200 && a.status() != 503 && !REFUSALS.contains(a.status())) {
                problems.add(h.kind() + ": unexpected status " + a.status());
            }
        }
        System.out.println("RELIABILITY hostile " + endpoint + ": " + PER_ENDPOINT + " requests, statuses " + statuses
                + (resets > 0 ? "; closed without a readable answer: " + LOG_CLOSED : ""));
        // At most 1 in 100: a kind of request the server closed on without answering would be about
        // 1 in 10 (ten kinds), far above the bound; TCP's rare discards stay under it.
        assertThat(resets)
                .as("connections closed without a readable answer")
                .isLessThanOrEqualTo(PER_ENDPOINT / 100 + 1);
        LOG_CLOSED.clear();
        assertThat(problems).as(endpoint).isEmpty();
        assertHealthy();
        return statuses;
    }

    private void assertHealthy() throws Exception {
        long start = System.nanoTime();
        RawHttp.Answer health = RawHttp.send(port, RawHttp.request("GET", "/health", null), Duration.ofSeconds(2));
        assertThat(health.status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void everyHostileRequestGetsAClearRefusalAndNothingIsWritten() throws Exception {
        long apsisWritesBefore = apsisWrites();
        int tasksBefore = pair.efficy.activities().size();
        String bearer = "Authorization: Bearer " + Pair.TASK_SECRET;

        fire(
                "POST /webhooks/efficy",
                HostileServeTest::efficyPath,
                r -> r.nextBoolean() ? "X-Crmsync-Secret: wrong" : "X-A: b",
                1);
        fire(
                "POST /webhooks/apsis-task",
                r -> "/webhooks/apsis-task",
                r -> r.nextInt(3) == 0 ? "Authorization: Bearer wrong-" + r.nextInt() : bearer,
                2);
        fire("GET /health", r -> r.nextBoolean() ? "/health" : "/health/../health%00", r -> "X-A: b", 3);

        // Efficy's data did not change, so no hostile call may write to APSIS: no forged Delete opted
        // anyone out, no wrapped key touched another contact.
        assertThat(apsisWrites() - apsisWritesBefore)
                .as("APSIS writes caused by hostile requests")
                .isZero();
        assertThat(pair.efficy.activities())
                .as("Efficy tasks created by hostile requests")
                .hasSize(tasksBefore);
    }

    private long apsisWrites() {
        return pair.apsis.journal().counts().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("GET ") && !e.getKey().equals("POST /oauth/token"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    @Test
    void slowConnectionsNeitherBlockTheServerNorStayOpen() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket s = new Socket("127.0.0.1", port);
                OutputStream out = s.getOutputStream();
                // A body that never comes: headers promise 100 bytes, one is sent.
                out.write(("POST " + (i % 2 == 0 ? "/webhooks/apsis-task" : "/webhooks/efficy/" + Pair.HOOK_SECRET)
                                + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                slow.add(s);
            }
            Socket drip = new Socket("127.0.0.1", port);
            drip.getOutputStream()
                    .write(("POST /webhooks/apsis-task HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            slow.add(drip);
            // Meanwhile the server answers at once.
            assertHealthy();
            RawHttp.Answer change = RawHttp.send(
                    port,
                    RawHttp.request(
                            "POST",
                            "/webhooks/efficy/" + Pair.HOOK_SECRET,
                            "{\"records\":[{\"table\":11000,\"key\":3,\"operation\":\"Update\"}]}"),
                    Duration.ofSeconds(5));
            assertThat(change.status()).isEqualTo(200);
            // One byte every 2 s keeps a connection from idling out, not from the body deadline.
            for (int i = 0; i < 7; i++) {
                Thread.sleep(2_000);
                try {
                    drip.getOutputStream().write(' ');
                } catch (IOException closed) {
                    break;
                }
            }
            for (Socket s : slow) {
                s.setSoTimeout(5_000);
                RawHttp.Answer a = RawHttp.read(s.getInputStream());
                assertThat(a.status())
                        .as("a slow connection is answered (408) or closed")
                        .isIn(408, 0);
            }
            assertHealthy();
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}

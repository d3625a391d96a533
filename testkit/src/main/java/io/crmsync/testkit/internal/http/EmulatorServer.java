package io.crmsync.testkit.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmsync.testkit.http.Fault;
import io.crmsync.testkit.http.FaultPlan;
import io.crmsync.testkit.http.JournalEntry;
import io.crmsync.testkit.http.RequestJournal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HTTP side shared by both emulators: a JDK {@link HttpServer} bound to 127.0.0.1, a request
 * journal, planned faults and a body size cap. Routes are one function from request to response.
 */
public final class EmulatorServer implements AutoCloseable {

    static {
        // Without TCP_NODELAY the JDK server's small answers meet delayed ACKs: ~40 ms per request.
        // The property is read once, when the JDK server classes first load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final RequestJournal journal = new RequestJournal();
    private final FaultPlan faults = new FaultPlan();
    private final Clock clock;

    /**
     * Starts a server.
     *
     * @param port the port, 0 for a free one
     * @param maxBodyBytes bodies above this get {@code tooLarge}'s answer
     * @param handler the routes
     * @param tooLarge the answer to an oversized body
     */
    public EmulatorServer(
            int port,
            int maxBodyBytes,
            Clock clock,
            Function<EmulatorRequest, EmulatorResponse> handler,
            EmulatorResponse tooLarge)
            throws IOException {
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        // Threads start only as requests need them; 32 lets a test hold many requests on a planned
        // delay (each holds its thread) while others are answered.
        this.executor =
                Executors.newFixedThreadPool(Math.max(32, Runtime.getRuntime().availableProcessors() * 4), r -> {
                    Thread t = new Thread(r, "emulator-" + port);
                    t.setDaemon(true);
                    return t;
                });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, maxBodyBytes, handler, tooLarge));
        server.start();
    }

    private void serve(
            HttpExchange exchange,
            int maxBodyBytes,
            Function<EmulatorRequest, EmulatorResponse> handler,
            EmulatorResponse tooLarge)
            throws IOException {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        try {
            Optional<Fault> fault = faults.take(uri.getPath());
            if (fault.isPresent()) {
                Fault f = fault.get();
                switch (f.kind()) {
                    case CONNECTION_RESET:
                        journal.record(new JournalEntry(clock.instant(), method, uri.toString(), "fault:reset", 0));
                        exchange.getRequestBody().readAllBytes();
                        exchange.close();
                        return;
                    case HTML_504:
                        drain(exchange);
                        send(
                                exchange,
                                new EmulatorResponse(
                                        504,
                                        Map.of("Content-Type", "text/html"),
                                        "<html><head><title>504 Gateway Time-out</title></head><body>Gateway Time-out</body></html>"
                                                .getBytes(StandardCharsets.UTF_8),
                                        "fault:504"),
                                method,
                                uri);
                        return;
                    case STATUS:
                        drain(exchange);
                        send(
                                exchange,
                                EmulatorResponse.json(
                                        f.statusCode(),
                                        "{\"title\":\"Injected fault\",\"status\":" + f.statusCode()
                                                + ",\"detail\":\"fault injected by the emulator\"}",
                                        "fault:" + f.statusCode()),
                                method,
                                uri);
                        return;
                    case TOO_MANY_REQUESTS:
                        drain(exchange);
                        send(
                                exchange,
                                EmulatorResponse.json(
                                                429,
                                                "{\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"fault injected by the emulator\"}",
                                                "fault:429")
                                        .withHeader(
                                                "Retry-After",
                                                Long.toString(f.delay().toSeconds())),
                                method,
                                uri);
                        return;
                    case ANSWER_LOST:
                        byte[] lostBody = readBody(exchange.getRequestBody(), maxBodyBytes);
                        if (lostBody != null) {
                            Map<String, List<String>> lostHeaders = new HashMap<>();
                            exchange.getRequestHeaders()
                                    .forEach((k, v) -> lostHeaders.put(k.toLowerCase(Locale.ROOT), v));
                            EmulatorResponse done =
                                    handler.apply(new EmulatorRequest(method, uri, lostHeaders, lostBody));
                            journal.record(new JournalEntry(
                                    clock.instant(),
                                    method,
                                    uri.toString(),
                                    "fault:lost " + done.route(),
                                    done.status()));
                        }
                        exchange.close();
                        return;
                    case DELAY:
                        try {
                            Thread.sleep(f.delay().toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        break;
                    default:
                        break;
                }
            }
            byte[] body = readBody(exchange.getRequestBody(), maxBodyBytes);
            if (body == null) {
                send(exchange, tooLarge, method, uri);
                return;
            }
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            EmulatorResponse response = handler.apply(new EmulatorRequest(method, uri, headers, body));
            send(exchange, response, method, uri);
        } catch (RuntimeException e) {
            send(
                    exchange,
                    EmulatorResponse.json(
                            500,
                            "{\"title\":\"Emulator error\",\"status\":500,\"detail\":\""
                                    + e.getClass().getSimpleName() + "\"}",
                            "error"),
                    method,
                    uri);
        }
    }

    private static void drain(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
    }

    private static byte[] readBody(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            in.readAllBytes();
            return null;
        }
        return bytes;
    }

    private void send(HttpExchange exchange, EmulatorResponse r, String method, URI uri) throws IOException {
        // Record first: a test may assert on the journal as soon as it has the answer.
        journal.record(new JournalEntry(clock.instant(), method, uri.toString(), r.route(), r.status()));
        r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] body = r.body();
        if (body.length == 0 && (r.status() == 204 || r.status() == 304)) {
            exchange.sendResponseHeaders(r.status(), -1);
        } else {
            exchange.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
        exchange.close();
    }

    /** The base URI, {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The request journal. */
    public RequestJournal journal() {
        return journal;
    }

    /** The fault plan. */
    public FaultPlan faults() {
        return faults;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

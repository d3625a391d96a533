package io.crmsync.testkit.internal.efficy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.efficy.ContactChange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Posts Efficy-style webhook calls ({@code {"database","version","records":[...]}} with table
 * 11000 for contacts) to a configured URL, one call per emulated request that changed contacts,
 * on a background thread and in order.
 */
public final class WebhookSender implements AutoCloseable {

    private final ObjectMapper mapper;
    private final Clock clock;
    private final String database;
    private final AtomicReference<URI> target = new AtomicReference<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "efficy-webhooks");
        t.setDaemon(true);
        return t;
    });
    /**
     * One client for every customer's sender, made at the first call: a JDK HttpClient starts a
     * selector thread at once, and a client per customer made 10,000 on-demand customers 10,000
     * threads (the emulator then answered 500 for want of threads).
     */
    private static final class Http {
        static final HttpClient CLIENT =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    /** Creates a sender that sends nothing until {@link #target} is set. */
    public WebhookSender(ObjectMapper mapper, Clock clock, String database) {
        this.mapper = mapper;
        this.clock = clock;
        this.database = database;
    }

    /** Where to post; null stops posting. */
    public void target(URI uri) {
        target.set(uri);
    }

    /** Queues one call for these changes. */
    public void send(List<ContactChange> changes) {
        URI uri = target.get();
        if (uri == null || changes.isEmpty()) {
            return;
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("database", database);
        body.put("version", "1");
        ArrayNode records = body.putArray("records");
        String now = clock.instant().toString();
        for (ContactChange c : changes) {
            ObjectNode r = records.addObject();
            r.put("table", 11000);
            r.put("key", c.key());
            r.put("operation", c.operation());
            r.put("user", "APIUSER");
            r.put("date", now);
            ObjectNode fields = r.putObject("fields");
            c.fields().forEach((k, v) -> fields.put(k, v == null ? null : v.toString()));
        }
        String json = body.toString();
        executor.execute(() -> {
            try {
                HttpResponse<Void> response = Http.CLIENT.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    delivered.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            } catch (Exception e) {
                failed.incrementAndGet();
            }
        });
    }

    /** Calls answered with 2xx. */
    public int delivered() {
        return delivered.get();
    }

    /** Calls that failed or got another status. */
    public int failed() {
        return failed.get();
    }

    /** Waits until every queued call has been attempted. */
    public void flush() {
        try {
            executor.submit(() -> {}).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("webhook queue did not drain", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

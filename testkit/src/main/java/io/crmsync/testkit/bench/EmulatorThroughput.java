package io.crmsync.testkit.bench;

import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures how many simple requests per second each emulator serves on this machine, so we know
 * they are not the bottleneck of a sync benchmark. Not a test: it prints figures.
 *
 * <pre>
 * java -cp testkit/target/testkit-0.1.0-SNAPSHOT-standalone.jar io.crmsync.testkit.bench.EmulatorThroughput [seconds] [threads]
 * </pre>
 */
public final class EmulatorThroughput {

    private EmulatorThroughput() {}

    /** Runs the measurement. */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        System.out.printf(
                "cores=%d threads=%d seconds=%d%n", Runtime.getRuntime().availableProcessors(), threads, seconds);
        try (EfficyEmulator efficy = EfficyEmulator.start();
                ApsisEmulator apsis =
                        ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start()) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // Like a real client, keep the session cookie from the first answer.
            String cookie = http.send(
                            HttpRequest.newBuilder(URI.create(efficy.baseUri() + "/crm/json"))
                                    .header("X-Efficy-ApiKey", efficy.apiKey())
                                    .POST(HttpRequest.BodyPublishers.ofString("[]"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .headers()
                    .firstValue("set-cookie")
                    .orElseThrow()
                    .split(";")[0];
            HttpRequest efficyRequest = HttpRequest.newBuilder(URI.create(efficy.baseUri() + "/crm/json"))
                    .header("X-Efficy-ApiKey", efficy.apiKey())
                    .header("Content-Type", "application/json")
                    .header("Cookie", cookie)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "[{\"@name\":\"api\",\"@func\":[{\"@name\":\"currentuserid\"}]}]"))
                    .build();
            String token = http.send(
                            HttpRequest.newBuilder(URI.create(apsis.baseUri() + "/oauth/token"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + apsis.clientId()
                                                    + "\",\"client_secret\":\"" + apsis.clientSecret() + "\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            HttpRequest apsisRequest = HttpRequest.newBuilder(URI.create(apsis.baseUri() + "/audience/sections"))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build();
            measure("Efficy api:currentuserid", http, efficyRequest, seconds, threads);
            measure("APSIS GET /audience/sections", http, apsisRequest, seconds, threads);
        }
    }

    private static void measure(String name, HttpClient http, HttpRequest request, int seconds, int threads)
            throws Exception {
        // Warm up (JIT, connection pool), then measure.
        run(http, request, 3, threads);
        LongAdder done = run(http, request, seconds, threads);
        System.out.printf("%-32s %,10.0f requests/s%n", name, done.sum() / (double) seconds);
    }

    private static LongAdder run(HttpClient http, HttpRequest request, int seconds, int threads) throws Exception {
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("status " + r.statusCode());
                    }
                    done.increment();
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        return done;
    }
}

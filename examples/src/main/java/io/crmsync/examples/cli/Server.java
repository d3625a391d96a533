package io.crmsync.examples.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmsync.sync.JobAlreadyRunningException;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.reverse.TaskWebhookResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's {@code serve}: polls Efficy changes and runs reverse sync on schedules, and answers
 * two webhooks on an embedded JDK HTTP server: {@code POST /webhooks/efficy} (Efficy change
 * webhook) and {@code POST /webhooks/apsis-task} (APSIS Marketing Automation task webhook);
 * {@code GET /health} says it is up. Bodies over 1 MB are refused.
 */
public final class Server implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Server.class);
  private static final int MAX_BODY = 1024 * 1024;

  private final SyncEngine engine;
  private final HttpServer http;
  private final ScheduledExecutorService schedules = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "crmsync-schedule");
    t.setDaemon(true);
    return t;
  });

  /** Starts serving; {@code pollEvery}/{@code reverseEvery} of zero disable that schedule. */
  public Server(SyncEngine engine, String address, int port, Duration pollEvery, Duration reverseEvery)
      throws IOException {
    this.engine = engine;
    this.http = HttpServer.create(new InetSocketAddress(address, port), 64);
    http.setExecutor(Executors.newFixedThreadPool(4));
    http.createContext("/webhooks/efficy", this::efficyWebhook);
    http.createContext("/webhooks/apsis-task", this::taskWebhook);
    http.createContext("/health", e -> answer(e, 200, "{\"status\":\"up\"}"));
    http.start();
    schedule(pollEvery, "poll", engine::pollChanges);
    schedule(reverseEvery, "reverse sync", engine::reverseSync);
  }

  private void schedule(Duration every, String name, java.util.function.Supplier<SyncReport> job) {
    if (every.isZero()) {
      return;
    }
    schedules.scheduleWithFixedDelay(() -> {
      try {
        job.get();
      } catch (JobAlreadyRunningException e) {
        LOG.info("{} skipped: {}", name, e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("{} failed: {}", name, e.getMessage());
      }
    }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Where the server listens. */
  public URI baseUri() {
    return URI.create("http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort());
  }

  private void efficyWebhook(HttpExchange e) throws IOException {
    byte[] body = postBody(e);
    if (body == null) {
      return;
    }
    try {
      SyncReport report = engine.handleEfficyWebhook(new String(body, StandardCharsets.UTF_8));
      answer(e, 200, "{\"seen\":" + report.seen() + ",\"quarantined\":" + report.quarantined().size() + "}");
    } catch (IllegalArgumentException bad) {
      answer(e, 400, "{\"error\":\"" + bad.getMessage().replace("\"", "'") + "\"}");
    } catch (RuntimeException failed) {
      LOG.warn("Efficy webhook failed: {}", failed.getMessage());
      answer(e, 503, "{\"error\":\"sync failed; Efficy may retry\"}");
    }
  }

  private void taskWebhook(HttpExchange e) throws IOException {
    byte[] body = postBody(e);
    if (body == null) {
      return;
    }
    try {
      TaskWebhookResult r = engine.handleTaskWebhook(body, Map.copyOf(e.getRequestHeaders()));
      answer(e, r.status(), "{\"outcome\":\"" + r.outcome() + "\",\"message\":\"" + r.message().replace("\"", "'")
          + "\"" + (r.taskKey().isPresent() ? ",\"task\":" + r.taskKey().getAsLong() : "") + "}");
    } catch (IllegalStateException notConfigured) {
      answer(e, 404, "{\"error\":\"no task webhook is configured\"}");
    } catch (RuntimeException failed) {
      LOG.warn("task webhook failed: {}", failed.getMessage());
      answer(e, 503, "{\"error\":\"task could not be created now; retry\"}");
    }
  }

  /** The body of a POST, or null after answering 405 (not a POST) or 413 (over 1 MB). */
  private static byte[] postBody(HttpExchange e) throws IOException {
    if (!e.getRequestMethod().equals("POST")) {
      answer(e, 405, "{\"error\":\"POST only\"}");
      return null;
    }
    try (InputStream in = e.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        answer(e, 413, "{\"error\":\"body over 1 MB\"}");
        return null;
      }
      return body;
    }
  }

  private static void answer(HttpExchange e, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    e.getResponseHeaders().set("Content-Type", "application/json");
    e.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = e.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    schedules.shutdownNow();
    http.stop(0);
  }
}

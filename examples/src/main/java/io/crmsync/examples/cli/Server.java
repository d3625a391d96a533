package io.crmsync.examples.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmsync.sync.JobAlreadyRunningException;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.reverse.TaskWebhookResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET_HEADER = "X-Crmsync-Secret";

  private final SyncEngine engine;
  private final byte[] efficySecret;
  private final HttpServer http;
  private final ScheduledExecutorService schedules = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "crmsync-schedule");
    t.setDaemon(true);
    return t;
  });

  /**
   * Starts serving; {@code pollEvery}/{@code reverseEvery} of zero disable that schedule.
   *
   * @param efficyWebhookSecret the secret an Efficy webhook call must carry, as the last path
   *     segment ({@code /webhooks/efficy/<secret>}) or in {@code X-Crmsync-Secret}; null turns
   *     the Efficy webhook off (404)
   */
  public Server(SyncEngine engine, String address, int port, Duration pollEvery, Duration reverseEvery,
      String efficyWebhookSecret) throws IOException {
    this.engine = engine;
    this.efficySecret = efficyWebhookSecret == null ? null : efficyWebhookSecret.getBytes(StandardCharsets.UTF_8);
    this.http = HttpServer.create(new InetSocketAddress(address, port), 64);
    http.setExecutor(Executors.newFixedThreadPool(4));
    http.createContext("/webhooks/efficy", this::efficyWebhook);
    http.createContext("/webhooks/apsis-task", this::taskWebhook);
    http.createContext("/health", e -> answer(e, 200, object().put("status", "up")));
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
    if (efficySecret == null) {
      answer(e, 404, object().put("error", "no Efficy webhook secret is configured (serve.efficyWebhookSecret)"));
      return;
    }
    if (!carriesSecret(e)) {
      answer(e, 401, object().put("error", "missing or wrong webhook secret"));
      return;
    }
    byte[] body = postBody(e);
    if (body == null) {
      return;
    }
    try {
      SyncReport report = engine.handleEfficyWebhook(new String(body, StandardCharsets.UTF_8));
      answer(e, 200, object().put("seen", report.seen()).put("quarantined", report.quarantined().size()));
    } catch (IllegalArgumentException bad) {
      answer(e, 400, object().put("error", bad.getMessage()));
    } catch (RuntimeException failed) {
      LOG.warn("Efficy webhook failed: {}", failed.getMessage());
      answer(e, 503, object().put("error", "sync failed; Efficy may retry"));
    }
  }

  /**
   * Whether the call carries the secret, as the path's last segment or in the header, compared in
   * constant time. Efficy's webhook set-up lets the customer choose the URL, so the path form
   * works without custom headers.
   */
  private boolean carriesSecret(HttpExchange e) {
    String path = e.getRequestURI().getRawPath();
    String prefix = "/webhooks/efficy/";
    String given = path.startsWith(prefix) ? path.substring(prefix.length())
        : e.getRequestHeaders().getFirst(SECRET_HEADER);
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), efficySecret);
  }

  private void taskWebhook(HttpExchange e) throws IOException {
    byte[] body = postBody(e);
    if (body == null) {
      return;
    }
    try {
      TaskWebhookResult r = engine.handleTaskWebhook(body, Map.copyOf(e.getRequestHeaders()));
      ObjectNode answer = object().put("outcome", r.outcome().toString()).put("message", r.message());
      r.taskKey().ifPresent(k -> answer.put("task", k));
      answer(e, r.status(), answer);
    } catch (IllegalStateException notConfigured) {
      answer(e, 404, object().put("error", "no task webhook is configured"));
    } catch (RuntimeException failed) {
      LOG.warn("task webhook failed: {}", failed.getMessage());
      answer(e, 503, object().put("error", "task could not be created now; retry"));
    }
  }

  /** The body of a POST, or null after answering 405 (not a POST) or 413 (over 1 MB). */
  private static byte[] postBody(HttpExchange e) throws IOException {
    if (!e.getRequestMethod().equals("POST")) {
      answer(e, 405, object().put("error", "POST only"));
      return null;
    }
    try (InputStream in = e.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        answer(e, 413, object().put("error", "body over 1 MB"));
        return null;
      }
      return body;
    }
  }

  private static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** Answers with JSON written by Jackson, so an echoed message can never break the document. */
  private static void answer(HttpExchange e, int status, ObjectNode json) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(json);
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

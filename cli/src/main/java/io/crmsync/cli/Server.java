package io.crmsync.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.sync.JobAlreadyRunningException;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.reverse.TaskWebhookResult;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's {@code serve}: polls Efficy changes and runs reverse sync on schedules, and answers
 * two webhooks: {@code POST /webhooks/efficy/<secret>} (the Efficy change webhook) and
 * {@code POST /webhooks/apsis-task} (the APSIS Marketing Automation task webhook);
 * {@code GET /health} says it is up and {@code GET /metrics} gives the Prometheus text. The HTTP
 * limits (body size and deadline, a bounded work queue, an answer to every malformed request)
 * are {@link HttpFront}'s.
 */
public final class Server implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Server.class);
  static final String SECRET_HEADER = "X-Crmsync-Secret";
  private static final String EFFICY_PATH = "/webhooks/efficy";

  private final SyncEngine engine;
  private final java.util.function.Supplier<String> metrics;
  private final byte[] efficySecret;
  private final HttpFront front;
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
   * @throws IOException when the address cannot be listened on
   */
  public Server(SyncEngine engine, String address, int port, Duration pollEvery, Duration reverseEvery,
      String efficyWebhookSecret) throws IOException {
    this(engine, address, port, pollEvery, reverseEvery, efficyWebhookSecret, null);
  }

  /**
   * As above, with {@code GET /metrics} answering {@code metrics}' text (the Prometheus exposition
   * format); null leaves {@code /metrics} off (404).
   */
  public Server(SyncEngine engine, String address, int port, Duration pollEvery, Duration reverseEvery,
      String efficyWebhookSecret, java.util.function.Supplier<String> metrics) throws IOException {
    this.engine = engine;
    this.metrics = metrics;
    this.efficySecret = efficyWebhookSecret == null ? null : efficyWebhookSecret.getBytes(StandardCharsets.UTF_8);
    this.front = new HttpFront(address, port, this::route);
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
    return front.baseUri();
  }

  /** Routes a request; every path answers, unknown ones 404. */
  private void route(String path, Exchange ex) {
    if (path.equals("/health")) {
      health(ex);
    } else if (path.equals("/metrics") && metrics != null) {
      metrics(ex, metrics);
    } else if (path.equals(EFFICY_PATH) || path.startsWith(EFFICY_PATH + "/")) {
      efficyWebhook(ex, path);
    } else if (path.equals("/webhooks/apsis-task")) {
      ex.postBody(body -> ex.dispatch(() -> taskWebhook(ex, body)));
    } else {
      ex.refuse(404, Exchange.object().put("error", "no such path"));
    }
  }

  /** {@code GET /health}: up. */
  static void health(Exchange ex) {
    if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
      ex.refuse(405, Exchange.object().put("error", "GET only"));
    } else {
      ex.answer(200, Exchange.object().put("status", "up"));
    }
  }

  /** {@code GET /metrics}: the Prometheus text. */
  static void metrics(Exchange ex, java.util.function.Supplier<String> metrics) {
    if (!ex.method().equals("GET")) {
      ex.refuse(405, Exchange.object().put("error", "GET only"));
    } else {
      ex.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
    }
  }

  private void efficyWebhook(Exchange ex, String path) {
    if (efficySecret == null) {
      ex.refuse(404, Exchange.object().put("error", "no Efficy webhook secret is configured (serve.efficyWebhookSecret)"));
      return;
    }
    String given = path.startsWith(EFFICY_PATH + "/") ? path.substring(EFFICY_PATH.length() + 1) : ex.header(SECRET_HEADER);
    if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), efficySecret)) {
      ex.refuse(401, Exchange.object().put("error", "missing or wrong webhook secret"));
      return;
    }
    ex.postBody(body -> ex.dispatch(() -> {
      try {
        SyncReport report = engine.handleEfficyWebhook(new String(body, StandardCharsets.UTF_8));
        ex.answer(200, Exchange.object().put("seen", report.seen()).put("quarantined", report.quarantined().size()));
      } catch (IllegalArgumentException bad) {
        ex.answer(400, Exchange.object().put("error", bad.getMessage()));
      } catch (RuntimeException failed) {
        LOG.warn("Efficy webhook failed: {}", failed.getMessage());
        ex.answer(503, Exchange.object().put("error", "sync failed; Efficy may retry"));
      }
    }));
  }

  private void taskWebhook(Exchange ex, byte[] body) {
    try {
      TaskWebhookResult r = engine.handleTaskWebhook(body, ex.headers());
      ObjectNode answer = Exchange.object().put("outcome", r.outcome().toString()).put("message", r.message());
      r.taskKey().ifPresent(k -> answer.put("task", k));
      if (r.status() == 503) {
        ex.retryAfter = 5;
      }
      ex.answer(r.status(), answer);
    } catch (IllegalStateException notConfigured) {
      ex.answer(404, Exchange.object().put("error", "no task webhook is configured"));
    } catch (RuntimeException failed) {
      LOG.warn("task webhook failed: {}", failed.getMessage());
      ex.answer(503, Exchange.object().put("error", "task could not be created now; retry"));
    }
  }

  @Override
  public void close() {
    schedules.shutdownNow();
    front.close();
  }
}

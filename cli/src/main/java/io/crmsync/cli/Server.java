package io.crmsync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.sync.JobAlreadyRunningException;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.reverse.TaskWebhookResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's {@code serve}: polls Efficy changes and runs reverse sync on schedules, and answers
 * two webhooks: {@code POST /webhooks/efficy/<secret>} (the Efficy change webhook) and
 * {@code POST /webhooks/apsis-task} (the APSIS Marketing Automation task webhook);
 * {@code GET /health} says it is up and {@code GET /metrics} gives the Prometheus text.
 *
 * <p>It runs on Jetty 12 rather than the JDK's HTTP server, for limits that hold per connection:
 * <ul>
 *   <li>bodies are read without holding a thread, and a body not complete within 10 s (or silent
 *       for 5 s) gets 408 and its connection closed, so slow clients cannot take the server;
 *   <li>the engine's work runs on {@value #WORKERS} threads with a queue of {@value #QUEUE}; beyond
 *       that the answer is 503 with {@code Retry-After} at once;
 *   <li>every malformed request gets an answer: bad framing, bad chunking, an oversized header
 *       (Jetty's 400 or 431), a body over 1 MB (413), a wrong method (405);
 *   <li>{@code /health} never waits behind webhook work.
 * </ul>
 */
public final class Server implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Server.class);
  static final int MAX_BODY = 1024 * 1024;
  static final int WORKERS = 8;
  static final int QUEUE = 32;
  static final Duration BODY_DEADLINE = Duration.ofSeconds(10);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET_HEADER = "X-Crmsync-Secret";
  private static final String EFFICY_PATH = "/webhooks/efficy";

  private final SyncEngine engine;
  private final java.util.function.Supplier<String> metrics;
  private final byte[] efficySecret;
  private final org.eclipse.jetty.server.Server jetty;
  private final ServerConnector connector;
  private final ThreadPoolExecutor work = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(QUEUE), r -> {
        Thread t = new Thread(r, "crmsync-webhook");
        t.setDaemon(true);
        return t;
      }, new ThreadPoolExecutor.AbortPolicy());
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
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("crmsync-http");
    threads.setDaemon(true);
    this.jetty = new org.eclipse.jetty.server.Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    http.setRequestHeaderSize(8 * 1024);
    this.connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(address);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setAcceptQueueSize(128);
    jetty.addConnector(connector);
    jetty.setHandler(new Routes());
    jetty.setErrorHandler(new QuietErrors());
    try {
      jetty.start();
    } catch (IOException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw new IOException(e.getMessage(), e);
    }
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
    String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
    return URI.create("http://" + host + ":" + connector.getLocalPort());
  }

  /** Routes a request; every path answers, unknown ones 404. */
  private final class Routes extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      Exchange ex = new Exchange(request, response, callback);
      if (path.equals("/health")) {
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
          ex.refuse(405, object().put("error", "GET only"));
        } else {
          ex.answer(200, object().put("status", "up"));
        }
      } else if (path.equals("/metrics") && metrics != null) {
        if (!request.getMethod().equals("GET")) {
          ex.refuse(405, object().put("error", "GET only"));
        } else {
          ex.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
        }
      } else if (path.equals(EFFICY_PATH) || path.startsWith(EFFICY_PATH + "/")) {
        efficyWebhook(ex, path);
      } else if (path.equals("/webhooks/apsis-task")) {
        ex.postBody(body -> ex.dispatch(() -> taskWebhook(ex, body)));
      } else {
        ex.refuse(404, object().put("error", "no such path"));
      }
      return true;
    }
  }

  private void efficyWebhook(Exchange ex, String path) {
    if (efficySecret == null) {
      ex.refuse(404, object().put("error", "no Efficy webhook secret is configured (serve.efficyWebhookSecret)"));
      return;
    }
    if (!carriesSecret(ex.request, path)) {
      ex.refuse(401, object().put("error", "missing or wrong webhook secret"));
      return;
    }
    ex.postBody(body -> ex.dispatch(() -> {
      try {
        SyncReport report = engine.handleEfficyWebhook(new String(body, StandardCharsets.UTF_8));
        ex.answer(200, object().put("seen", report.seen()).put("quarantined", report.quarantined().size()));
      } catch (IllegalArgumentException bad) {
        ex.answer(400, object().put("error", bad.getMessage()));
      } catch (RuntimeException failed) {
        LOG.warn("Efficy webhook failed: {}", failed.getMessage());
        ex.answer(503, object().put("error", "sync failed; Efficy may retry"));
      }
    }));
  }

  /**
   * Whether the call carries the secret, as the path's last segment or in the header, compared in
   * constant time. Efficy's webhook set-up lets the customer choose the URL, so the path form
   * works without custom headers.
   */
  private boolean carriesSecret(Request request, String path) {
    String given = path.startsWith(EFFICY_PATH + "/") ? path.substring(EFFICY_PATH.length() + 1)
        : request.getHeaders().get(SECRET_HEADER);
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), efficySecret);
  }

  private void taskWebhook(Exchange ex, byte[] body) {
    try {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (HttpField f : ex.request.getHeaders()) {
        headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
      }
      TaskWebhookResult r = engine.handleTaskWebhook(body, headers);
      ObjectNode answer = object().put("outcome", r.outcome().toString()).put("message", r.message());
      r.taskKey().ifPresent(k -> answer.put("task", k));
      if (r.status() == 503) {
        ex.retryAfter = 5;
      }
      ex.answer(r.status(), answer);
    } catch (IllegalStateException notConfigured) {
      ex.answer(404, object().put("error", "no task webhook is configured"));
    } catch (RuntimeException failed) {
      LOG.warn("task webhook failed: {}", failed.getMessage());
      ex.answer(503, object().put("error", "task could not be created now; retry"));
    }
  }

  /**
   * Jetty's answer to what it refuses before any route runs (bad framing, an oversized head, a
   * broken request line): the status and its reason as JSON, never an echo of the request, whose
   * path may hold the webhook secret.
   */
  private static final class QuietErrors extends org.eclipse.jetty.server.handler.ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus() >= 400 ? response.getStatus() : 500;
      String reason = org.eclipse.jetty.http.HttpStatus.getMessage(status);
      byte[] bytes = ("{\"error\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      response.write(true, ByteBuffer.wrap(bytes), callback);
      return true;
    }
  }

  private static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** One request: reads its body without blocking, and answers exactly once. */
  private final class Exchange {
    final Request request;
    final Response response;
    final Callback callback;
    final AtomicBoolean answered = new AtomicBoolean();
    volatile Scheduler.Task deadline;
    volatile int retryAfter;

    Exchange(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    /** Runs the engine's work on the bounded pool, or answers 503 when it is full. */
    void dispatch(Runnable task) {
      try {
        work.execute(task);
      } catch (RejectedExecutionException busy) {
        retryAfter = 5;
        answer(503, object().put("error", "busy; retry later"));
      }
    }

    /** Reads a POST body (at most 1 MB, within the deadline) and passes it on; answers otherwise. */
    void postBody(Consumer<byte[]> then) {
      if (!request.getMethod().equals("POST")) {
        refuse(405, object().put("error", "POST only"));
        return;
      }
      readBody(then);
    }

    /**
     * Refuses a request after reading what it sent (up to 1 MB, within the deadline): a server that
     * closes a connection with unread data makes TCP reset it, and the client may lose the answer.
     */
    void refuse(int status, ObjectNode json) {
      if (request.getLength() == 0 || request.getLength() > MAX_BODY
          || (request.getLength() < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING))) {
        answer(status, json);
        return;
      }
      readBody(ignored -> answer(status, json));
    }

    /** Reads the body (at most 1 MB, within the deadline) and passes it on; answers otherwise. */
    private void readBody(Consumer<byte[]> then) {
      if (request.getLength() > MAX_BODY) {
        answer(413, object().put("error", "body over 1 MB"));
        return;
      }
      deadline = request.getComponents().getScheduler().schedule(
          () -> answer(408, object().put("error", "body not received within " + BODY_DEADLINE.toSeconds() + " s")),
          BODY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      new Runnable() {
        @Override
        public void run() {
          while (!answered.get()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
              request.demand(this);
              return;
            }
            if (Content.Chunk.isFailure(chunk)) {
              if (chunk.getFailure() instanceof java.util.concurrent.TimeoutException) {
                answer(408, object().put("error", "body not received: idle for " + IDLE_TIMEOUT.toSeconds() + " s"));
              } else {
                answer(400, object().put("error", "the body could not be read"));
              }
              return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            boolean last = chunk.isLast();
            if (buffer.size() + bytes.remaining() > MAX_BODY) {
              chunk.release();
              answer(413, object().put("error", "body over 1 MB"));
              return;
            }
            byte[] part = new byte[bytes.remaining()];
            bytes.get(part);
            buffer.write(part, 0, part.length);
            chunk.release();
            if (last) {
              cancelDeadline();
              then.accept(buffer.toByteArray());
              return;
            }
          }
        }
      }.run();
    }

    private void cancelDeadline() {
      Scheduler.Task d = deadline;
      if (d != null) {
        d.cancel();
      }
    }

    /** Answers with text of the given type; once. */
    void text(int status, String contentType, String body) {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      cancelDeadline();
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Answers with JSON written by Jackson (an echoed message never breaks the document); once. */
    void answer(int status, ObjectNode json) {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      cancelDeadline();
      byte[] bytes;
      try {
        bytes = JSON.writeValueAsBytes(json);
      } catch (IOException e) {
        bytes = "{\"error\":\"answer could not be written\"}".getBytes(StandardCharsets.UTF_8);
        status = 500;
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      if (retryAfter > 0) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(retryAfter));
      }
      if (status == 408 || status == 413 || status == 400) {
        // The rest of the body is not read: the connection cannot be reused.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.write(true, ByteBuffer.wrap(bytes), callback);
    }
  }

  @Override
  public void close() {
    schedules.shutdownNow();
    work.shutdownNow();
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.debug("server stop: {}", e.getMessage());
    }
  }
}

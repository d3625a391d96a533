package io.crmsync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One HTTP request to {@link HttpFront}: reads its body without holding a thread (at most
 * {@value HttpFront#MAX_BODY} bytes, within {@link HttpFront#BODY_DEADLINE}), runs the work on the
 * front's bounded pool, and answers exactly once, as JSON or text. Package-private.
 */
final class Exchange {

  private static final ObjectMapper JSON = new ObjectMapper();

  final Request request;
  final Response response;
  final Callback callback;
  private final Executor work;
  private final AtomicBoolean answered = new AtomicBoolean();
  private volatile Scheduler.Task deadline;
  volatile int retryAfter;

  Exchange(Request request, Response response, Callback callback, Executor work) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.work = work;
  }

  /** A new JSON object for an answer. */
  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** The request's method. */
  String method() {
    return request.getMethod();
  }

  /** A request header, or null. */
  String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Every header, by name as sent. */
  Map<String, List<String>> headers() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField f : request.getHeaders()) {
      headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
    }
    return headers;
  }

  /** Runs the work on the bounded pool, or answers 503 when it is full. */
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
    if (request.getLength() == 0 || request.getLength() > HttpFront.MAX_BODY
        || (request.getLength() < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING))) {
      answer(status, json);
      return;
    }
    readBody(ignored -> answer(status, json));
  }

  /** Reads the body (at most 1 MB, within the deadline) and passes it on; answers otherwise. */
  private void readBody(Consumer<byte[]> then) {
    if (request.getLength() > HttpFront.MAX_BODY) {
      answer(413, object().put("error", "body over 1 MB"));
      return;
    }
    deadline = request.getComponents().getScheduler().schedule(
        () -> answer(408, object().put("error", "body not received within "
            + HttpFront.BODY_DEADLINE.toSeconds() + " s")),
        HttpFront.BODY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
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
              answer(408, object().put("error", "body not received: idle for "
                  + HttpFront.IDLE_TIMEOUT.toSeconds() + " s"));
            } else {
              answer(400, object().put("error", "the body could not be read"));
            }
            return;
          }
          ByteBuffer bytes = chunk.getByteBuffer();
          boolean last = chunk.isLast();
          if (buffer.size() + bytes.remaining() > HttpFront.MAX_BODY) {
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

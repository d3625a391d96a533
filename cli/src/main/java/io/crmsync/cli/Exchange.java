package io.crmsync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.config.webhook.Admission;
import io.crmsync.config.webhook.WebhookAnswer;
import io.crmsync.config.webhook.WebhookGate;
import io.crmsync.config.webhook.WebhookKind;
import io.crmsync.console.Console;
import io.crmsync.console.ConsoleRequest;
import io.crmsync.console.ConsoleResponse;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One HTTP request to {@link HttpFront}: reads its body without holding a thread (within
 * {@link HttpFront#BODY_DEADLINE}), runs the work on the front's bounded pool, and answers exactly
 * once, as JSON or text. Webhook calls go through a {@link WebhookGate}: the caller is checked from
 * the path and headers before a byte of the body is buffered. Package-private.
 */
final class Exchange {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Request request;
    final Response response;
    final Callback callback;
    private final Executor work;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile Scheduler.Task deadline;
    private volatile Runnable afterAnswer = () -> {};
    private volatile int retryAfter;

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

    /** Every header, by name as sent. */
    Map<String, List<String>> headers() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        return headers;
    }

    /**
     * Serves a webhook call through {@code gate}: admitted from the method, path secret and headers,
     * then its body read up to the admitted size and delivered on the work pool; every path answers,
     * and the admission's in-flight bytes are given back with the answer.
     */
    void webhook(WebhookGate gate, WebhookKind kind, String pathSecret) {
        Admission admission = gate.admit(kind, method(), pathSecret, headers(), request.getLength());
        afterAnswer = admission::close;
        if (admission.refusal().isPresent()) {
            refuse(admission.refusal().get());
            return;
        }
        readBody(
                admission.maxBodyBytes(),
                body -> dispatch(() -> answer(gate.deliver(admission, body))),
                () -> answer(gate.tooLarge(admission)));
    }

    /**
     * Serves a console request: the body read (at most {@link ConsoleRequest#MAX_BODY}, within the
     * deadline), then the console's pages built on the work pool and written as they are.
     */
    void console(Console console, String path) {
        readBody(
                ConsoleRequest.MAX_BODY,
                body -> dispatch(() -> {
                    ConsoleRequest r = new ConsoleRequest(
                            method(),
                            path,
                            request.getHttpURI().getQuery(),
                            headers(),
                            body,
                            Request.getRemoteAddr(request),
                            request.isSecure());
                    send(console.handle(r));
                }),
                () -> answer(413, object().put("error", "a console form is at most 64 kB")));
    }

    /** Answers with a console page (its status, headers and body); once. */
    private void send(ConsoleResponse page) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        cancelDeadline();
        response.setStatus(page.status());
        page.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.write(true, ByteBuffer.wrap(page.bytes()), callback);
        afterAnswer.run();
    }

    /** Runs the work on the bounded pool, or answers 503 when it is full. */
    void dispatch(Runnable task) {
        try {
            work.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    answer(WebhookAnswer.retryLater(
                            "not handled now; try again later", WebhookGate.RETRY_AFTER_SECONDS));
                }
            });
        } catch (RejectedExecutionException busy) {
            answer(WebhookAnswer.retryLater("busy; retry later", WebhookGate.RETRY_AFTER_SECONDS));
        }
    }

    /**
     * Refuses a request after draining what it sent (up to 1 MB, within the deadline, nothing kept):
     * a server that closes a connection with unread data makes TCP reset it, and the client may
     * lose the answer.
     */
    void refuse(WebhookAnswer answer) {
        if (request.getLength() == 0
                || request.getLength() > HttpFront.MAX_BODY
                || (request.getLength() < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING))) {
            answer(answer);
            return;
        }
        read(HttpFront.MAX_BODY, false, ignored -> answer(answer), () -> answer(answer));
    }

    /** Reads the body (at most {@code limit} bytes, within the deadline) and passes it on. */
    private void readBody(int limit, Consumer<byte[]> then, Runnable tooLarge) {
        if (request.getLength() > limit) {
            tooLarge.run();
            return;
        }
        read(limit, true, then, tooLarge);
    }

    private void read(int limit, boolean keep, Consumer<byte[]> then, Runnable tooLarge) {
        deadline = request.getComponents()
                .getScheduler()
                .schedule(
                        () -> answer(
                                408,
                                object().put(
                                                "error",
                                                "body not received within " + HttpFront.BODY_DEADLINE.toSeconds()
                                                        + " s")),
                        HttpFront.BODY_DEADLINE.toMillis(),
                        TimeUnit.MILLISECONDS);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        IntPredicate fits = new IntPredicate() {
            private long seen;

            @Override
            public boolean test(int more) {
                seen += more;
                return seen <= limit;
            }
        };
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
                        if (chunk.getFailure() instanceof TimeoutException) {
                            answer(
                                    408,
                                    object().put(
                                                    "error",
                                                    "body not received: idle for " + HttpFront.IDLE_TIMEOUT.toSeconds()
                                                            + " s"));
                        } else {
                            answer(400, object().put("error", "the body could not be read"));
                        }
                        return;
                    }
                    ByteBuffer bytes = chunk.getByteBuffer();
                    boolean last = chunk.isLast();
                    if (!fits.test(bytes.remaining())) {
                        chunk.release();
                        tooLarge.run();
                        return;
                    }
                    if (keep) {
                        byte[] part = new byte[bytes.remaining()];
                        bytes.get(part);
                        buffer.write(part, 0, part.length);
                    }
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
        afterAnswer.run();
    }

    /** Answers with a webhook answer (its status, JSON body and {@code Retry-After}); once. */
    void answer(WebhookAnswer answer) {
        answer.retryAfterSeconds().ifPresent(s -> retryAfter = s);
        write(answer.status(), answer.json());
    }

    /** Answers with JSON written by Jackson (an echoed message never breaks the document); once. */
    void answer(int status, ObjectNode json) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            bytes = "{\"error\":\"answer could not be written\"}".getBytes(StandardCharsets.UTF_8);
            status = 500;
        }
        write(status, bytes);
    }

    private void write(int status, byte[] bytes) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        cancelDeadline();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (retryAfter > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(retryAfter));
        }
        if (status == 408 || status == 413 || status == 400) {
            // The rest of the body may not be read: the connection cannot be reused.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(bytes), callback);
        afterAnswer.run();
    }
}

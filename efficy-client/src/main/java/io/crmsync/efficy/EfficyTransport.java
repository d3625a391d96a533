package io.crmsync.efficy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.client.IoFailures;
import io.crmsync.client.RetryPolicy;
import io.crmsync.client.Sleeper;
import io.crmsync.efficy.error.EfficyAuthenticationException;
import io.crmsync.efficy.error.EfficyException;
import io.crmsync.efficy.error.EfficyRpcException;
import io.crmsync.efficy.error.EfficyServerException;
import io.crmsync.efficy.error.EfficyTransportException;
import io.crmsync.efficy.internal.EfficyJson;
import io.crmsync.efficy.rpc.BatchResponse;
import io.crmsync.efficy.rpc.JsonRpcBatch;
import io.crmsync.efficy.rpc.RpcContext;
import io.crmsync.efficy.rpc.RpcFunc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JSON-RPC batches for one {@link EfficyClient}: the concurrency cap, the
 * {@code EfficySession} cookie with its single renewal, retries for batches that are safe to
 * repeat, the four levels of errors, and logging without secrets. Package-private.
 */
final class EfficyTransport {

    private static final Logger LOG = LoggerFactory.getLogger(EfficyClient.class);
    private static final String SESSION_COOKIE = "EfficySession";
    private static final AtomicLong CLIENT_IDS = new AtomicLong();

    /** Error texts and codes that mean "your session is gone", from the protocol notes. */
    private static final List<String> SESSION_ERRORS = List.of(
            "this operation requires a database connection",
            "you aren't authorized to execute this query",
            "invalid user",
            "you do not have the right to perform this operation",
            "session timeout",
            "please logon to database",
            "frmk-2612",
            "core-1243");

    private final URI endpoint;
    private final String customer;
    private final String apiKey;
    private final String user;
    private final String password;
    private final Duration requestTimeout;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier jitterSource;
    private final EfficyListener listener;
    private final HttpClient http;
    private final ObjectMapper mapper = EfficyJson.newMapper();
    private final Semaphore permits;
    private final AtomicReference<String> session = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String idPrefix;
    private final AtomicLong requestCounter = new AtomicLong();

    EfficyTransport(
            URI endpoint,
            String customer,
            String apiKey,
            String user,
            String password,
            Duration requestTimeout,
            RetryPolicy retryPolicy,
            int maxConcurrentRequests,
            Clock clock,
            Sleeper sleeper,
            DoubleSupplier jitterSource,
            EfficyListener listener,
            HttpClient http) {
        this.endpoint = endpoint;
        this.customer = customer;
        this.apiKey = apiKey;
        this.user = user;
        this.password = password;
        this.requestTimeout = requestTimeout;
        this.retryPolicy = retryPolicy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.jitterSource = jitterSource;
        this.listener = listener;
        this.http = http;
        this.permits = new Semaphore(maxConcurrentRequests, true);
        this.idPrefix = "efy" + CLIENT_IDS.incrementAndGet() + "-";
    }

    /**
     * Sends a batch in one HTTP request and returns the answers of its contexts.
     *
     * @throws EfficyAuthenticationException when the credentials or session are refused
     * @throws EfficyRpcException when Efficy reports an error in the answer
     * @throws EfficyServerException on HTTP 5xx (after retries, when the batch allows them)
     * @throws EfficyTransportException on I/O errors, timeouts and unreadable answers
     * @throws IllegalStateException when the client is closed
     */
    BatchResponse execute(JsonRpcBatch batch) {
        if (closed.get()) {
            throw new IllegalStateException("EfficyClient is closed");
        }
        String requestId = idPrefix + requestCounter.incrementAndGet();
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(batch.toJson(mapper));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("batch " + batch.operation() + " cannot be written as JSON");
        }
        Instant first = clock.instant();
        int attempt = 0;
        int failures = 0;
        boolean sessionRenewed = false;
        while (true) {
            attempt++;
            try {
                return sendOnce(batch, body, requestId, attempt, false);
            } catch (SessionExpired expired) {
                if (sessionRenewed) {
                    throw new EfficyAuthenticationException(
                            expired.reason + " (still refused with a new session)",
                            batch.operation(),
                            requestId,
                            expired.status);
                }
                sessionRenewed = true;
                session.set(null);
                LOG.debug(
                        "Efficy {} [{}]: session expired, retrying once with a new session",
                        batch.operation(),
                        requestId);
            } catch (EfficyException e) {
                failures++;
                if (!e.isRetryable() || !batch.isRetryable() || failures >= retryPolicy.maxAttempts()) {
                    throw e;
                }
                Duration delay = retryPolicy.delayAfter(failures, jitterSource);
                Duration elapsed = Duration.between(first, clock.instant());
                if (elapsed.plus(delay).compareTo(retryPolicy.maxElapsed()) > 0) {
                    throw e;
                }
                LOG.debug(
                        "Efficy {} [{}]: attempt {} failed ({}), retrying in {} ms",
                        batch.operation(),
                        requestId,
                        attempt,
                        e.getMessage(),
                        delay.toMillis());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Signals an answer that means the session is gone; never escapes {@link #execute}. */
    private static final class SessionExpired extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;
        final int status;

        SessionExpired(String reason, int status) {
            super(reason, null, false, false);
            this.reason = reason;
            this.status = status;
        }
    }

    private BatchResponse sendOnce(JsonRpcBatch batch, byte[] body, String requestId, int attempt, boolean logoff)
            throws SessionExpired {
        String op = batch.operation();
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EfficyTransportException(
                    "interrupted while waiting for a free connection", op, requestId, 0, false, e);
        }
        Instant start = clock.instant();
        safely(() -> listener.requestStart(op, requestId, attempt));
        try {
            BatchResponse response = exchange(batch, body, requestId, logoff);
            Duration elapsed = Duration.between(start, clock.instant());
            LOG.debug("Efficy {} [{}] attempt {}: OK in {} ms", op, requestId, attempt, elapsed.toMillis());
            safely(() -> listener.requestEnd(op, requestId, attempt, 200, elapsed));
            return response;
        } catch (EfficyException e) {
            Duration elapsed = Duration.between(start, clock.instant());
            LOG.debug("Efficy {} [{}] attempt {}: {}", op, requestId, attempt, e.getMessage());
            safely(() -> listener.requestFailed(op, requestId, attempt, e, elapsed));
            throw e;
        } catch (SessionExpired e) {
            Duration elapsed = Duration.between(start, clock.instant());
            EfficyAuthenticationException failure =
                    new EfficyAuthenticationException(e.reason, op, requestId, e.status);
            safely(() -> listener.requestFailed(op, requestId, attempt, failure, elapsed));
            throw e;
        } finally {
            permits.release();
        }
    }

    private BatchResponse exchange(JsonRpcBatch batch, byte[] body, String requestId, boolean logoff)
            throws SessionExpired {
        String op = batch.operation();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            request.header("X-Efficy-ApiKey", apiKey);
        } else {
            request.header("X-Efficy-User", user).header("X-Efficy-Pwd", password);
        }
        if (customer != null) {
            request.header("X-Efficy-Customer", customer);
        }
        if (logoff) {
            request.header("X-Efficy-Logoff", "true");
        }
        String cookie = session.get();
        if (cookie != null) {
            request.header("Cookie", SESSION_COOKIE + "=" + cookie);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new EfficyTransportException(
                    "no answer within " + requestTimeout.toMillis() + " ms", op, requestId, 0, true, e);
        } catch (IOException e) {
            throw new EfficyTransportException(IoFailures.describe(endpoint, e), op, requestId, 0, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EfficyTransportException("interrupted", op, requestId, 0, false, e);
        }
        rememberSession(response);
        int status = response.statusCode();
        byte[] bytes = response.body() == null ? new byte[0] : response.body();
        if (status == 401) {
            throw new SessionExpired("credentials or session refused", status);
        }
        if (status == 403) {
            throw new EfficyAuthenticationException("access refused", op, requestId, status);
        }
        if (status >= 500) {
            throw new EfficyServerException(
                    looksLikeHtml(bytes) ? "server error, HTML page from a proxy or gateway" : "server error",
                    op,
                    requestId,
                    status);
        }
        if (status < 200 || status >= 300) {
            throw new EfficyException("unexpected HTTP status", op, requestId, status, null);
        }
        if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            throw new EfficyTransportException("empty answer", op, requestId, status, true, null);
        }
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new EfficyTransportException(
                    looksLikeHtml(bytes) ? "answer is an HTML page, not JSON" : "answer is not valid JSON",
                    op,
                    requestId,
                    status,
                    true,
                    null);
        }
        try {
            return BatchResponse.parse(root, batch, requestId);
        } catch (EfficyRpcException e) {
            if (isSessionError(e)) {
                throw new SessionExpired(e.errorString().orElse("session refused"), status);
            }
            throw e;
        }
    }

    private void rememberSession(HttpResponse<?> response) {
        for (String header : response.headers().allValues("set-cookie")) {
            String first = header.split(";", 2)[0].trim();
            int eq = first.indexOf('=');
            if (eq > 0 && first.substring(0, eq).trim().equals(SESSION_COOKIE)) {
                String value = first.substring(eq + 1).trim();
                boolean expired = header.toLowerCase(Locale.ROOT).contains("max-age=0") || value.isEmpty();
                session.set(expired ? null : value);
            }
        }
    }

    private static boolean isSessionError(EfficyRpcException e) {
        String text = (e.errorCode().orElse("") + " " + e.errorString().orElse("")).toLowerCase(Locale.ROOT);
        return SESSION_ERRORS.stream().anyMatch(text::contains);
    }

    private static boolean looksLikeHtml(byte[] bytes) {
        String start = new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.UTF_8)
                .stripLeading()
                .toLowerCase(Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<");
    }

    private void safely(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.warn("EfficyListener threw {}; ignored", e.getClass().getName());
        }
    }

    /** Whether the client holds an Efficy session cookie. */
    boolean hasSession() {
        return session.get() != null;
    }

    /** Logs the session off when there is one, then refuses further calls. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (session.get() == null) {
            return;
        }
        JsonRpcBatch logoff = JsonRpcBatch.builder("logoff")
                .add(RpcContext.api().withFunc(RpcFunc.named("currentuserid")))
                .build();
        String requestId = idPrefix + requestCounter.incrementAndGet();
        try {
            sendOnce(logoff, mapper.writeValueAsBytes(logoff.toJson(mapper)), requestId, 1, true);
        } catch (SessionExpired | EfficyException | JsonProcessingException e) {
            LOG.debug("Efficy logoff [{}] failed: {}", requestId, e.getMessage());
        } finally {
            session.set(null);
        }
    }
}

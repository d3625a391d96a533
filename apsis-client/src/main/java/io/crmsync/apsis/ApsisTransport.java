package io.crmsync.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.apsis.error.ApsisAuthenticationException;
import io.crmsync.apsis.error.ApsisConflictException;
import io.crmsync.apsis.error.ApsisException;
import io.crmsync.apsis.error.ApsisGoneException;
import io.crmsync.apsis.error.ApsisNotFoundException;
import io.crmsync.apsis.error.ApsisPayloadTooLargeException;
import io.crmsync.apsis.error.ApsisPermissionException;
import io.crmsync.apsis.error.ApsisRateLimitException;
import io.crmsync.apsis.error.ApsisServerException;
import io.crmsync.apsis.error.ApsisTransportException;
import io.crmsync.apsis.error.ApsisValidationException;
import io.crmsync.client.IoFailures;
import io.crmsync.client.RetryAfter;
import io.crmsync.client.RetryPolicy;
import io.crmsync.client.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests: rate limits, bearer token, throttling waits, retries, error mapping. Shared by
 * every service of one client. Package-private.
 */
final class ApsisTransport {

    private static final Logger LOG = LoggerFactory.getLogger(ApsisClient.class);
    private static final AtomicLong CLIENT_IDS = new AtomicLong();

    private final URI baseUri;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier jitter;
    private final RetryPolicy retryPolicy;
    private final Duration requestTimeout;
    private final Duration maxThrottleWait;
    private final RateLimiter limiter;
    private final ApsisListener listener;
    private final String idPrefix = "aps" + CLIENT_IDS.incrementAndGet() + "-";
    private final AtomicLong counter = new AtomicLong();
    private TokenProvider tokens;

    ApsisTransport(
            URI baseUri,
            HttpClient http,
            ObjectMapper mapper,
            Clock clock,
            Sleeper sleeper,
            DoubleSupplier jitter,
            RetryPolicy retryPolicy,
            Duration requestTimeout,
            Duration maxThrottleWait,
            RateLimits limits,
            AccountBudget budget,
            String clientId,
            ApsisListener listener) {
        this.baseUri = baseUri;
        this.http = http;
        this.mapper = mapper;
        this.clock = clock;
        this.sleeper = sleeper;
        this.jitter = jitter;
        this.retryPolicy = retryPolicy;
        this.requestTimeout = requestTimeout;
        this.maxThrottleWait = maxThrottleWait;
        this.limiter = new RateLimiter(limits, clock, sleeper, budget, clientId);
        this.listener = listener;
    }

    void tokens(TokenProvider tokens) {
        this.tokens = tokens;
    }

    HttpClient http() {
        return http;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    /** Sends with the bearer token (unless the request is to an absolute upload URL). */
    ApsisResponse send(ApsisRequest request) {
        return run(request, request.authenticated);
    }

    /** Sends without a token: the token request itself. */
    ApsisResponse sendUnauthenticated(ApsisRequest request) {
        return run(request, false);
    }

    private ApsisResponse run(ApsisRequest request, boolean authenticated) {
        String requestId = idPrefix + counter.incrementAndGet();
        Instant first = clock.instant();
        int attempt = 0;
        int failures = 0;
        int throttles = 0;
        boolean tokenRenewed = false;
        Duration throttled = Duration.ZERO;
        while (true) {
            try {
                Duration waited = limiter.acquire(request.kind, request.profileKey);
                if (!waited.isZero()) {
                    notify(() -> listener.throttled(request.route, requestId, waited));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApsisTransportException(
                        "interrupted while rate limited", request.method, request.logPath, requestId, false, e);
            }
            attempt++;
            String token = authenticated ? tokens.token() : null;
            Instant start = clock.instant();
            int attemptNo = attempt;
            notify(() -> listener.requestStart(request.route, requestId, attemptNo));
            ApsisException failure;
            try {
                HttpResponse<byte[]> response = exchange(request, token, requestId);
                int status = response.statusCode();
                Duration elapsed = Duration.between(start, clock.instant());
                if ((status >= 200 && status < 300) || request.tolerated.contains(status)) {
                    LOG.debug(
                            "APSIS {} {} [{}] attempt {}: HTTP {} in {} ms",
                            request.method,
                            request.logPath,
                            requestId,
                            attemptNo,
                            status,
                            elapsed.toMillis());
                    notify(() -> listener.requestEnd(request.route, requestId, attemptNo, status, elapsed));
                    return new ApsisResponse(status, response.headers(), response.body());
                }
                ApsisException refused = toException(request, requestId, status, response.body());
                failure = refused;
                notify(() -> listener.requestFailed(request.route, requestId, attemptNo, refused, elapsed));
                if (authenticated
                        && !tokenRenewed
                        && (status == 401 || (status == 403 && looksLikeExpiredToken(failure)))) {
                    tokenRenewed = true;
                    tokens.invalidate(token);
                    LOG.debug("APSIS {} [{}]: token refused, renewing it once", request.logPath, requestId);
                    continue;
                }
                if (status == 429) {
                    throttles++;
                    int backoffStep = Math.min(throttles, 10);
                    Duration wait =
                            retryAfter(response.headers()).orElseGet(() -> retryPolicy.delayAfter(backoffStep, jitter));
                    if (throttled.plus(wait).compareTo(maxThrottleWait) > 0) {
                        throw failure;
                    }
                    throttled = throttled.plus(wait);
                    notify(() -> listener.throttled(request.route, requestId, wait));
                    LOG.debug(
                            "APSIS {} [{}]: throttled (429), waiting {} ms",
                            request.logPath,
                            requestId,
                            wait.toMillis());
                    sleep(wait, failure);
                    continue;
                }
            } catch (ApsisTransportException e) {
                failure = e;
                Duration elapsed = Duration.between(start, clock.instant());
                notify(() -> listener.requestFailed(request.route, requestId, attemptNo, e, elapsed));
            }
            failures++;
            if (!failure.isRetryable() || !request.idempotent || failures >= retryPolicy.maxAttempts()) {
                throw failure;
            }
            Duration delay = retryPolicy.delayAfter(failures, jitter);
            if (Duration.between(first, clock.instant()).plus(delay).compareTo(retryPolicy.maxElapsed()) > 0) {
                throw failure;
            }
            LOG.debug(
                    "APSIS {} [{}]: attempt {} failed ({}), retrying in {} ms",
                    request.logPath,
                    requestId,
                    attemptNo,
                    failure.getMessage(),
                    delay.toMillis());
            sleep(delay, failure);
        }
    }

    private HttpResponse<byte[]> exchange(ApsisRequest request, String token, String requestId) {
        URI uri = request.absolute != null ? request.absolute : target(request);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout);
        if (request.accept != null) {
            b.header("Accept", request.accept);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (request.publisher != null) {
            b.header("Content-Type", request.contentType);
            b.method(request.method, request.publisher.get());
        } else if (request.body != null) {
            b.header("Content-Type", request.contentType);
            b.method(request.method, HttpRequest.BodyPublishers.ofByteArray(request.body));
        } else {
            b.method(request.method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new ApsisTransportException(
                    "no answer within " + requestTimeout.toMillis() + " ms",
                    request.method,
                    request.logPath,
                    requestId,
                    true,
                    e);
        } catch (IOException e) {
            throw new ApsisTransportException(
                    IoFailures.describe(baseUri, e), request.method, request.logPath, requestId, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApsisTransportException("interrupted", request.method, request.logPath, requestId, false, e);
        }
    }

    private URI target(ApsisRequest request) {
        String base = baseUri.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String query = request.query.isEmpty() ? "" : "?" + String.join("&", request.query);
        return URI.create(base + request.path + query);
    }

    private ApsisException toException(ApsisRequest r, String requestId, int status, byte[] body) {
        String title = null;
        String detail = null;
        if (body != null && body.length > 0) {
            try {
                JsonNode problem = mapper.readTree(body);
                if (problem != null && problem.isObject()) {
                    title = text(problem, "title");
                    detail = text(problem, "detail");
                }
            } catch (IOException e) {
                // Not a problem body (an HTML page from a gateway): keep status only.
            }
        }
        String m = r.method;
        String p = r.logPath;
        switch (status) {
            case 400:
                return new ApsisValidationException(status, title, detail, m, p, requestId);
            case 401:
                return new ApsisAuthenticationException(status, title, detail, m, p, requestId);
            case 403:
                return new ApsisPermissionException(status, title, detail, m, p, requestId);
            case 404:
                return new ApsisNotFoundException(status, title, detail, m, p, requestId);
            case 409:
                return new ApsisConflictException(status, title, detail, m, p, requestId);
            case 410:
                return new ApsisGoneException(status, title, detail, m, p, requestId);
            case 413:
                return new ApsisPayloadTooLargeException(status, title, detail, m, p, requestId);
            case 429:
                return new ApsisRateLimitException(status, title, detail, m, p, requestId);
            default:
                if (status == 408 || status >= 500) {
                    return new ApsisServerException(status, title, detail, m, p, requestId);
                }
                return new ApsisException(status, title, detail, m, p, requestId, null);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A 403 whose problem text speaks of an expired or invalid token, as seen for stale tokens. */
    private static boolean looksLikeExpiredToken(ApsisException e) {
        String text = (e.title().orElse("") + " " + e.detail().orElse("")).toLowerCase(Locale.ROOT);
        return text.contains("expired") || text.contains("token");
    }

    /** {@code Retry-After} as delta-seconds or as an HTTP date. */
    Optional<Duration> retryAfter(HttpHeaders headers) {
        return RetryAfter.parse(headers.firstValue("Retry-After").orElse(null), clock.instant());
    }

    private void sleep(Duration d, ApsisException failure) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private void notify(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.warn("ApsisListener threw {}; ignored", e.getClass().getName());
        }
    }

    /**
     * Reads an answer's body as a JSON object.
     *
     * @throws ApsisTransportException when it is not JSON or not an object
     */
    JsonNode object(ApsisResponse response, ApsisRequest r) {
        try {
            JsonNode node = mapper.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new ApsisTransportException("answer is not a JSON object", r.method, r.logPath, "-", false, null);
            }
            return node;
        } catch (IOException e) {
            throw new ApsisTransportException("answer is not JSON", r.method, r.logPath, "-", false, e);
        }
    }
}

package io.crmsync.config.webhook;

import io.crmsync.client.Headers;
import io.crmsync.client.Nullable;
import io.crmsync.efficy.webhook.EfficyWebhookEvent;
import io.crmsync.sync.reverse.TaskRequest;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one intake of both webhooks, for every host ({@code serve}, the Spring starter's controller,
 * a cluster node): the same request gets the same answer everywhere. A host adapter does two
 * calls:
 * <ol>
 *   <li>{@link #admit} with the method, the secret from the path (if any), the headers and the
 *       declared length, before reading a byte of the body: a wrong method (405), a route that is
 *       off (404), a missing or wrong secret or bearer token (401, compared in constant time), a
 *       declared body over the kind's limit (413), or a full {@link InFlightBytes} budget (503) is
 *       answered at once;
 *   <li>{@link #deliver} with the body (read up to {@link Admission#maxBodyBytes()}): the HMAC
 *       signature of a task webhook is checked (401), the body parsed (400 naming what is wrong),
 *       and the delivery handed to the {@link WebhookTarget}; whatever the target throws becomes a
 *       503 with {@code Retry-After}, never an unanswered call.
 * </ol>
 * Limits: an Efficy body up to {@value #MAX_EFFICY_BODY_BYTES} bytes, a task body up to its
 * configuration's {@code maxBodyBytes} (64 kB); secrets of at least {@value #MIN_SECRET_LENGTH}
 * characters. The Efficy secret is the last path segment or the {@value #SECRET_HEADER} header.
 *
 * <pre>{@code
 * WebhookGate gate = new WebhookGate(WebhookCredentials.from(config), new EngineWebhookTarget(engine),
 *     InFlightBytes.defaults());
 * try (Admission a = gate.admit(WebhookKind.EFFICY, "POST", pathSecret, headers, contentLength)) {
 *   WebhookAnswer answer = a.refusal().orElseGet(() -> gate.deliver(a, readBody(a.maxBodyBytes())));
 * }
 * }</pre>
 */
public final class WebhookGate {

    /** The shortest secret accepted. */
    public static final int MIN_SECRET_LENGTH = 16;
    /** The largest Efficy webhook body: 1 MB. */
    public static final int MAX_EFFICY_BODY_BYTES = 1024 * 1024;
    /** The header that may carry the Efficy webhook's secret instead of the path. */
    public static final String SECRET_HEADER = "X-Crmsync-Secret";
    /** Seconds a sender is asked to wait after a 503. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(WebhookGate.class);

    private final WebhookCredentials credentials;
    private final WebhookTarget target;
    private final InFlightBytes budget;
    private final WebhookAnswer unavailable;

    /** A gate checking callers against {@code credentials} and handing deliveries to {@code target}. */
    public WebhookGate(WebhookCredentials credentials, WebhookTarget target, InFlightBytes budget) {
        this(credentials, target, budget, null);
    }

    private WebhookGate(
            WebhookCredentials credentials, WebhookTarget target, InFlightBytes budget, WebhookAnswer unavailable) {
        this.credentials = credentials;
        this.target = target;
        this.budget = budget;
        this.unavailable = unavailable;
    }

    /**
     * A gate that answers every call 503 with {@code Retry-After} at once: for a host that cannot
     * tell who the caller must be right now (its database is down), so the sender retries instead of
     * taking a 404 as final.
     */
    public static WebhookGate unavailable(String why) {
        return new WebhookGate(
                new WebhookCredentials(null, null), null, null, WebhookAnswer.retryLater(why, RETRY_AFTER_SECONDS));
    }

    /**
     * Decides from what precedes the body.
     *
     * @param pathSecret the secret the path carried (Efficy: {@code .../efficy/<secret>}), or null
     * @param headers the request headers, names in any case
     * @param declaredLength the {@code Content-Length}, or -1 when the body is chunked or absent
     */
    public Admission admit(
            WebhookKind kind,
            String method,
            @Nullable String pathSecret,
            Map<String, List<String>> headers,
            long declaredLength) {
        if (!"POST".equals(method)) {
            return Admission.refused(kind, WebhookAnswer.error(405, "POST only"));
        }
        if (unavailable != null) {
            return Admission.refused(kind, unavailable);
        }
        int limit;
        if (kind == WebhookKind.EFFICY) {
            if (credentials.efficySecret() == null) {
                return Admission.refused(kind, WebhookAnswer.error(404, "no such webhook"));
            }
            String given = pathSecret != null ? pathSecret : Headers.first(headers, SECRET_HEADER);
            if (given == null
                    || !MessageDigest.isEqual(
                            given.getBytes(StandardCharsets.UTF_8),
                            credentials.efficySecret().getBytes(StandardCharsets.UTF_8))) {
                return Admission.refused(kind, WebhookAnswer.error(401, "missing or wrong webhook secret"));
            }
            limit = MAX_EFFICY_BODY_BYTES;
        } else {
            TaskWebhookConfig task = credentials.task();
            if (task == null || pathSecret != null) {
                return Admission.refused(kind, WebhookAnswer.error(404, "no such webhook"));
            }
            if (!task.admitsHeaders(headers)) {
                return Admission.refused(kind, WebhookAnswer.error(401, task.refusalMessage()));
            }
            limit = task.maxBodyBytes();
        }
        if (declaredLength > limit) {
            return Admission.refused(kind, tooLarge(limit));
        }
        long reserve = declaredLength >= 0 ? declaredLength : limit;
        if (!budget.tryReserve(reserve)) {
            return Admission.refused(kind, WebhookAnswer.retryLater("busy; retry later", RETRY_AFTER_SECONDS));
        }
        return Admission.admitted(kind, headers, limit, budget, reserve);
    }

    /**
     * Both steps for a call whose body is already in hand (an in-process call, a test): the same
     * answers as {@link #admit} then {@link #deliver}.
     */
    public WebhookAnswer handle(
            WebhookKind kind,
            String method,
            @Nullable String pathSecret,
            Map<String, List<String>> headers,
            byte[] body) {
        try (Admission a = admit(kind, method, pathSecret, headers, body.length)) {
            return a.refusal().orElseGet(() -> deliver(a, body));
        }
    }

    /** The answer to a body that turned out longer than {@link Admission#maxBodyBytes()}. */
    public WebhookAnswer tooLarge(Admission admission) {
        return tooLarge(admission.maxBodyBytes());
    }

    private static WebhookAnswer tooLarge(int limit) {
        return WebhookAnswer.error(413, "body over " + limit + " bytes");
    }

    /** Checks, parses and hands on an admitted call's body; always answers. */
    public WebhookAnswer deliver(Admission admission, byte[] body) {
        if (admission.refusal().isPresent()) {
            return admission.refusal().get();
        }
        if (body.length > admission.maxBodyBytes()) {
            return tooLarge(admission);
        }
        try {
            return admission.kind() == WebhookKind.EFFICY ? efficy(body) : task(admission, body);
        } catch (RuntimeException failed) {
            LOG.warn(
                    "{} webhook not handled: {}: {}",
                    admission.kind() == WebhookKind.EFFICY ? "Efficy" : "task",
                    failed.getClass().getSimpleName(),
                    failed.getMessage());
            return WebhookAnswer.retryLater("not handled now; deliver it again later", RETRY_AFTER_SECONDS);
        }
    }

    private WebhookAnswer efficy(byte[] body) {
        EfficyWebhookEvent event;
        try {
            event = EfficyWebhookEvent.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException bad) {
            return WebhookAnswer.error(400, bad.getMessage());
        }
        return target.efficy(event, body);
    }

    private WebhookAnswer task(Admission admission, byte[] body) {
        TaskWebhookConfig task = credentials.task();
        if (!task.isAuthentic(body, admission.headers())) {
            return WebhookAnswer.error(401, task.refusalMessage());
        }
        TaskRequest request;
        try {
            request = TaskRequest.parse(body);
        } catch (IllegalArgumentException bad) {
            return WebhookAnswer.error(400, bad.getMessage());
        }
        return target.task(request, body);
    }
}

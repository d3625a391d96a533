package io.crmsync.spring;

import io.crmsync.config.webhook.Admission;
import io.crmsync.config.webhook.WebhookAnswer;
import io.crmsync.config.webhook.WebhookGate;
import io.crmsync.config.webhook.WebhookKind;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook endpoints of {@code crmsync.webhooks.*} (Spring MVC), a thin adapter over the
 * {@link WebhookGate} that {@code serve} and the cluster use, so one request gets one answer in
 * every host: {@code POST ${crmsync.webhooks.path}/efficy/{secret}} (or {@code .../efficy} with
 * the secret in {@code X-Crmsync-Secret}) and {@code POST ${crmsync.webhooks.path}/apsis-task}. The
 * caller is checked from the path and headers before the body is read, and the body is read only
 * up to the gate's limit.
 */
@RestController
public class CrmsyncWebhookController {

    private final WebhookGate gate;

    /** The endpoints over {@code gate}. */
    public CrmsyncWebhookController(WebhookGate gate) {
        this.gate = gate;
    }

    /** Efficy's change webhook. */
    @PostMapping(
            path = {"${crmsync.webhooks.path:/webhooks}/efficy", "${crmsync.webhooks.path:/webhooks}/efficy/{secret}"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> efficy(
            @PathVariable(name = "secret", required = false) String secret, HttpServletRequest request)
            throws IOException {
        return serve(WebhookKind.EFFICY, secret, request);
    }

    /** The APSIS Marketing Automation task webhook. */
    @PostMapping(path = "${crmsync.webhooks.path:/webhooks}/apsis-task", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> task(HttpServletRequest request) throws IOException {
        return serve(WebhookKind.APSIS_TASK, null, request);
    }

    private ResponseEntity<byte[]> serve(WebhookKind kind, String secret, HttpServletRequest request)
            throws IOException {
        try (Admission a =
                gate.admit(kind, request.getMethod(), secret, headers(request), request.getContentLengthLong())) {
            if (a.refusal().isPresent()) {
                return respond(a.refusal().get());
            }
            byte[] body = read(request.getInputStream(), a.maxBodyBytes());
            return respond(body == null ? gate.tooLarge(a) : gate.deliver(a, body));
        }
    }

    /** The body, or null when it is longer than {@code limit}. */
    private static byte[] read(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit + 1);
        return body.length > limit ? null : body;
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
        }
        return headers;
    }

    private static ResponseEntity<byte[]> respond(WebhookAnswer answer) {
        ResponseEntity.BodyBuilder b = ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON);
        answer.retryAfterSeconds().ifPresent(s -> b.header(HttpHeaders.RETRY_AFTER, Integer.toString(s)));
        return b.body(answer.json());
    }
}

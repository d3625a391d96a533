package io.crmsync.spring;

import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.reverse.TaskWebhookResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook endpoints of {@code crmsync.webhooks.*} (Spring MVC): {@code POST
 * ${crmsync.webhooks.path}/efficy/{secret}} (Efficy's change webhook, the secret compared in
 * constant time) and {@code POST ${crmsync.webhooks.path}/apsis-task} (the APSIS task webhook,
 * authenticated by the engine). Answers are small JSON objects; nothing of the request is echoed
 * but the engine's own messages.
 */
@RestController
public class CrmsyncWebhookController {

  private final SyncEngine engine;
  private final byte[] efficySecret;

  /** The endpoints for {@code engine}; a null {@code efficySecret} turns the Efficy route off (404). */
  public CrmsyncWebhookController(SyncEngine engine, String efficySecret) {
    if (efficySecret != null && efficySecret.length() < 16) {
      throw new IllegalArgumentException("crmsync.webhooks.efficy-secret must be at least 16 characters");
    }
    this.engine = engine;
    this.efficySecret = efficySecret == null ? null : efficySecret.getBytes(StandardCharsets.UTF_8);
  }

  /** Efficy's change webhook. */
  @PostMapping(path = "${crmsync.webhooks.path:/webhooks}/efficy/{secret}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> efficy(@PathVariable("secret") String secret,
      @RequestBody(required = false) String body) {
    if (efficySecret == null) {
      return ResponseEntity.status(404).body(Map.of("error", "no Efficy webhook secret is configured"));
    }
    if (!MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), efficySecret)) {
      return ResponseEntity.status(401).body(Map.of("error", "missing or wrong webhook secret"));
    }
    try {
      SyncReport report = engine.handleEfficyWebhook(body == null ? "" : body);
      return ResponseEntity.ok(Map.of("seen", report.seen(), "quarantined", report.quarantined().size()));
    } catch (IllegalArgumentException bad) {
      return ResponseEntity.badRequest().body(Map.of("error", bad.getMessage()));
    } catch (RuntimeException failed) {
      return ResponseEntity.status(503).body(Map.of("error", "sync failed; Efficy may retry"));
    }
  }

  /** The APSIS Marketing Automation task webhook. */
  @PostMapping(path = "${crmsync.webhooks.path:/webhooks}/apsis-task", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> task(@RequestHeader HttpHeaders headers,
      @RequestBody(required = false) byte[] body) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach(copy::put);
    TaskWebhookResult r = engine.handleTaskWebhook(body == null ? new byte[0] : body, copy);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("outcome", r.outcome().toString());
    answer.put("message", r.message());
    r.taskKey().ifPresent(k -> answer.put("task", k));
    return ResponseEntity.status(r.status()).body(answer);
  }
}

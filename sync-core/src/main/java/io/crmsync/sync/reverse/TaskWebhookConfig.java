package io.crmsync.sync.reverse;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * How the APSIS Marketing Automation webhook that creates Efficy tasks is checked and mapped.
 *
 * <p>The shared secret is checked in constant time, either as a bearer token
 * ({@code Authorization: Bearer <secret>}, {@link Mode#BEARER}, the default) or as an HMAC-SHA256
 * signature of the raw body in a header ({@link Mode#HMAC}, header {@code X-Signature} by default,
 * value {@code sha256=<hex>} or plain hex). Tasks are created for the assignee's user code when it
 * names an Efficy user, else for {@code defaultUser} (by user code) when set. Bodies over
 * {@code maxBodyBytes} (64 kB) are refused. {@code sourceField} carries the delivery id on the
 * Acti so a replay finds the task instead of creating a twin.
 *
 * @param secret the shared secret
 * @param mode bearer token or HMAC signature
 * @param signatureHeader the header holding the HMAC signature
 * @param defaultUser the user code tasks fall back to, or null
 * @param sourceField the Acti field holding the delivery id
 * @param maxBodyBytes the largest body accepted
 */
public record TaskWebhookConfig(String secret, Mode mode, String signatureHeader, String defaultUser,
    String sourceField, int maxBodyBytes) {

  /** How the secret is presented. */
  public enum Mode {
    /** {@code Authorization: Bearer <secret>}. */
    BEARER,
    /** An HMAC-SHA256 signature of the body in a header. */
    HMAC
  }

  /** Checks the parts. */
  public TaskWebhookConfig {
    Objects.requireNonNull(secret, "secret");
    if (secret.getBytes(StandardCharsets.UTF_8).length < 16) {
      throw new IllegalArgumentException("the task webhook secret must be at least 16 bytes");
    }
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(signatureHeader, "signatureHeader");
    signatureHeader = signatureHeader.toLowerCase(Locale.ROOT);
    if (sourceField == null || !sourceField.matches("[A-Za-z0-9_$]+")) {
      throw new IllegalArgumentException("source field must match [A-Za-z0-9_$]+, was '" + sourceField + "'");
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
    }
  }

  /** A bearer-token configuration with the defaults. */
  public static TaskWebhookConfig bearer(String secret) {
    return new TaskWebhookConfig(secret, Mode.BEARER, "x-signature", null, "F_SOURCE_ID", 64 * 1024);
  }

  /** An HMAC configuration with the signature in {@code header}. */
  public static TaskWebhookConfig hmac(String secret, String header) {
    return new TaskWebhookConfig(secret, Mode.HMAC, header, null, "F_SOURCE_ID", 64 * 1024);
  }

  /** A copy with a default user code. */
  public TaskWebhookConfig withDefaultUser(String userCode) {
    return new TaskWebhookConfig(secret, mode, signatureHeader, userCode, sourceField, maxBodyBytes);
  }

  @Override
  public String toString() {
    return "TaskWebhookConfig{mode=" + mode + ", secret=(redacted), defaultUser=" + defaultUser + "}";
  }
}

package io.crmsync.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Who may read {@code /metrics}: anyone while no admin token is set (as before the console), and
 * only a caller with {@code Authorization: Bearer <console.token>} once one is (Prometheus:
 * {@code authorization: {credentials_file: ...}}), so that with the console on nothing but
 * {@code /health} and the webhooks is served without a credential. Thread-safe; package-private.
 */
final class MetricsAccess {

    /** Anyone. */
    static final MetricsAccess OPEN = new MetricsAccess(null);

    private final byte[] digest;

    private MetricsAccess(String token) {
        this.digest = token == null ? null : sha256(token);
    }

    /** Only callers with the token (open when {@code token} is null). */
    static MetricsAccess token(String token) {
        return new MetricsAccess(token);
    }

    /** Whether a request with these {@code Authorization} header values may read. */
    boolean admits(List<String> authorization) {
        if (digest == null) {
            return true;
        }
        for (String value : authorization) {
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)
                    && MessageDigest.isEqual(digest, sha256(value.substring(7).strip()))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.crmsync.console.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's sessions, without server state: a login with the admin token buys a cookie
 * {@code <id>.<issued>.<mac>}, where the MAC is HMAC-SHA256 under a key derived from the token.
 * So every node of a cluster that shares the token accepts it, a restart keeps it, and changing
 * the token ends every session. A session lasts {@link #LIFETIME}. Each form carries a CSRF token,
 * the HMAC of the session id; the bearer token in {@code Authorization} also admits a caller (a
 * script), without CSRF, since a browser never sends it on its own. Thread-safe. Internal.
 */
public final class ConsoleSessions {

    /** How long a session lasts. */
    public static final Duration LIFETIME = Duration.ofHours(12);

    /** The cookie's name. */
    public static final String COOKIE = "crmsync_console";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    private final SecretKeySpec key;
    private final Clock clock;

    /**
     * Sessions under an admin token.
     *
     * @throws IllegalArgumentException for a token shorter than 16 characters
     */
    public ConsoleSessions(String token, Clock clock) {
        Objects.requireNonNull(token, "token");
        if (token.length() < 16) {
            throw new IllegalArgumentException("the console's admin token must have at least 16 characters");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.key =
                new SecretKeySpec(hmac(new SecretKeySpec(this.token, "HmacSHA256"), "crmsync console"), "HmacSHA256");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether a token typed at the login (or sent as a bearer token) is the admin token; constant time. */
    public boolean isToken(String candidate) {
        return candidate != null
                && MessageDigest.isEqual(sha256(candidate.getBytes(StandardCharsets.UTF_8)), sha256(token));
    }

    /** A new session's cookie value. */
    public String issue() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String body = HexFormat.of().formatHex(id) + "." + clock.millis();
        return body + "." + mac(body);
    }

    /** The session id a cookie value holds, when its MAC is right and it has not expired. */
    public Optional<String> session(String cookie) {
        if (cookie == null) {
            return Optional.empty();
        }
        String[] parts = cookie.split("\\.", -1);
        if (parts.length != 3 || !parts[0].matches("[0-9a-f]{32}") || !parts[1].matches("[0-9]{1,15}")) {
            return Optional.empty();
        }
        String body = parts[0] + "." + parts[1];
        if (!MessageDigest.isEqual(
                mac(body).getBytes(StandardCharsets.US_ASCII), parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        long issued = Long.parseLong(parts[1]);
        long now = clock.millis();
        if (issued > now + 60_000 || now - issued > LIFETIME.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(parts[0]);
    }

    /** The CSRF token of a session's forms. */
    public String csrf(String session) {
        return mac("csrf " + session);
    }

    /** Whether a form's CSRF token is the session's; constant time. */
    public boolean csrfMatches(String session, String candidate) {
        return candidate != null
                && MessageDigest.isEqual(
                        csrf(session).getBytes(StandardCharsets.US_ASCII),
                        candidate.getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, text));
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "ConsoleSessions{token=****}";
    }
}

package io.crmsync.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.apsis.error.ApsisAuthenticationException;
import io.crmsync.apsis.error.ApsisException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Caches the OAuth2 client-credentials token. One refresh at a time: concurrent callers wait for
 * the refresh in progress instead of each asking for a token (the endpoint allows 10 calls a
 * minute). The expiry comes from the JWT {@code exp} claim, falling back to {@code expires_in};
 * the token is renewed ahead of expiry by {@code refreshAhead}, or half its lifetime when that is
 * shorter.
 *
 * <p>A refusal of the credentials (HTTP 400, 401 or 403 from the token endpoint) is remembered:
 * credentials do not mend themselves, so every later call fails at once with the same
 * {@link ApsisAuthenticationException} instead of asking again. Without that, each writer thread
 * asked once in turn, and a wrong secret spent the account's 10 token requests a minute.
 */
final class TokenProvider {

    /** The title of a refusal: it names the settings to check, never their values. */
    static final String REFUSED = "client credentials refused; check the client id and client secret";

    private final ApsisTransport transport;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final String clientId;
    private final String clientSecret;
    private final Duration refreshAhead;

    private String token;
    private Instant refreshAt = Instant.MIN;
    /** The refusal of the credentials, once the token endpoint refused them. */
    private ApsisAuthenticationException refused;

    TokenProvider(
            ApsisTransport transport,
            ObjectMapper mapper,
            Clock clock,
            String clientId,
            String clientSecret,
            Duration refreshAhead) {
        this.transport = transport;
        this.mapper = mapper;
        this.clock = clock;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshAhead = refreshAhead;
    }

    /** A valid token, fetched when there is none or it is due for renewal. */
    synchronized String token() {
        if (refused != null) {
            throw new ApsisAuthenticationException(
                    refused.status().orElse(0),
                    REFUSED,
                    refused.detail().orElse(null),
                    "POST",
                    "/oauth/token",
                    refused.requestId());
        }
        if (token != null && clock.instant().isBefore(refreshAt)) {
            return token;
        }
        fetch();
        return token;
    }

    /** Forgets {@code used} if it is still the cached token (a later refresh is kept). */
    synchronized void invalidate(String used) {
        if (used != null && used.equals(token)) {
            token = null;
            refreshAt = Instant.MIN;
        }
    }

    private void fetch() {
        ObjectNode body = mapper.createObjectNode();
        body.put("grant_type", "client_credentials");
        body.put("client_id", clientId);
        body.put("client_secret", clientSecret);
        ApsisRequest request;
        try {
            request = ApsisRequest.builder("POST", "/oauth/token")
                    .json(mapper.writeValueAsBytes(body))
                    .kind(RateLimiter.Kind.TOKEN)
                    .idempotent()
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the token request", e);
        }
        ApsisResponse response;
        try {
            response = transport.sendUnauthenticated(request);
        } catch (ApsisException e) {
            int status = e.status().orElse(0);
            if (status == 400 || status == 401 || status == 403) {
                refused = new ApsisAuthenticationException(
                        status, REFUSED, e.detail().orElse(null), "POST", "/oauth/token", e.requestId());
                throw refused;
            }
            throw e;
        }
        JsonNode json;
        try {
            json = mapper.readTree(response.body());
        } catch (IOException e) {
            throw new ApsisAuthenticationException(
                    response.status(), "token answer is not JSON", null, "POST", "/oauth/token", "-");
        }
        String accessToken = json.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw new ApsisAuthenticationException(
                    response.status(), "token answer has no access_token", null, "POST", "/oauth/token", "-");
        }
        Instant now = clock.instant();
        Instant expiresAt =
                jwtExpiry(accessToken).or(() -> expiresIn(json).map(now::plus)).orElse(now.plus(Duration.ofHours(1)));
        Duration lifetime = Duration.between(now, expiresAt);
        Duration ahead = lifetime.dividedBy(2).compareTo(refreshAhead) < 0 ? lifetime.dividedBy(2) : refreshAhead;
        this.token = accessToken;
        this.refreshAt = expiresAt.minus(ahead);
    }

    private static Optional<Duration> expiresIn(JsonNode json) {
        JsonNode v = json.get("expires_in");
        return v != null && v.canConvertToLong() && v.asLong() > 0
                ? Optional.of(Duration.ofSeconds(v.asLong()))
                : Optional.empty();
    }

    /** The {@code exp} claim of a JWT, without checking its signature (only the expiry is used). */
    Optional<Instant> jwtExpiry(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            JsonNode claims = mapper.readTree(new String(payload, StandardCharsets.UTF_8));
            JsonNode exp = claims.get("exp");
            return exp != null && exp.canConvertToLong()
                    ? Optional.of(Instant.ofEpochSecond(exp.asLong()))
                    : Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "TokenProvider{clientId=" + clientId + ", secret=(redacted)}";
    }
}

package io.crmsync.testkit.internal.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * {@code POST /oauth/token}: client credentials as JSON, 10 a minute, a JWT whose {@code exp} and
 * {@code expires_in} say the same lifetime. Package-private.
 */
final class TokenDesk {

    private final ApsisService service;

    TokenDesk(ApsisService service) {
        this.service = service;
    }

    EmulatorResponse issue(EmulatorRequest r) {
        EmulatorResponse limited = service.tokenLimit();
        if (limited != null) {
            return limited;
        }
        JsonNode body;
        try {
            body = service.mapper.readTree(r.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return service.problem(400, "Bad Request", "token request body must be JSON", "POST /oauth/token");
        }
        if (!"client_credentials".equals(body.path("grant_type").asText())) {
            return service.problem(400, "Bad Request", "unsupported grant_type", "POST /oauth/token");
        }
        if (!service.clientId.equals(body.path("client_id").asText())
                || !service.clientSecret.equals(body.path("client_secret").asText())) {
            return service.problem(401, "Unauthorized", "invalid client credentials", "POST /oauth/token");
        }
        Instant now = service.clock.instant();
        Instant exp = now.plus(service.tokenLifetime);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String jwt = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + service.clientId + "\",\"iat\":" + now.getEpochSecond()
                                + ",\"exp\":" + exp.getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"}")
                        .getBytes(StandardCharsets.UTF_8))
                + ".emulator";
        service.tokens.put(jwt, exp);
        ObjectNode answer = service.mapper.createObjectNode();
        answer.put("access_token", jwt);
        answer.put("expires_in", service.tokenLifetime.toSeconds());
        answer.put("token_type", "Bearer");
        return EmulatorResponse.json(200, answer.toString(), "POST /oauth/token");
    }
}

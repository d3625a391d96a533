package io.crmsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.HostKeys;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code crmsync status} for a running {@code serve}: its console's {@code /api/status} (the
 * overview as JSON), asked with the file's {@code console.token} as a bearer token at the file's
 * address and port. Serve holds its H2 store, so the status comes from serve itself rather than the
 * store. Package-private.
 */
final class ServeStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServeStatus() {}

    /** Prints serve's status; exit 2 without a console token, 1 when serve does not answer. */
    static int print(CliContext ctx, CrmsyncConfig cfg, boolean json) {
        if (!cfg.isSet(HostKeys.CONSOLE_TOKEN)) {
            throw new ConfigException(
                    HostKeys.CONSOLE_TOKEN.name(), "status asks a running serve through its console: set the token");
        }
        String host = cfg.get(HostKeys.SERVE_ADDRESS);
        host = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        URI uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + cfg.get(HostKeys.SERVE_PORT) + cfg.get(HostKeys.CONSOLE_PATH) + "/api/status");
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + cfg.get(HostKeys.CONSOLE_TOKEN))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            ctx.err.println("crmsync: status: serve does not answer at " + uri + " (is it running with this file?)");
            return ExitStatus.FAILED;
        } catch (IOException e) {
            ctx.err.println("crmsync: status: " + uri + " failed: " + e.getMessage());
            return ExitStatus.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.FAILED;
        }
        if (answer.statusCode() != 200
                || !answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            ctx.err.println("crmsync: status: " + uri + " answered " + answer.statusCode()
                    + (answer.statusCode() == 303 ? " (the token was refused: is it serve's console.token?)" : ""));
            return ExitStatus.FAILED;
        }
        try {
            JsonNode status = JSON.readTree(answer.body());
            ctx.out.println(json ? status.toPrettyString() : text(status));
            return ExitStatus.OK;
        } catch (IOException e) {
            ctx.err.println("crmsync: status: " + uri + " answered something other than JSON");
            return ExitStatus.FAILED;
        }
    }

    private static String text(JsonNode s) {
        StringBuilder b = new StringBuilder(s.path("host").asText()).append('\n');
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("figures").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            b.append("  ")
                    .append(f.getKey())
                    .append(": ")
                    .append(f.getValue().asText())
                    .append('\n');
        }
        b.append("jobs:\n");
        for (JsonNode j : s.path("jobs")) {
            b.append("  ").append(j.path("job").asText()).append(": ");
            if (j.path("running").asBoolean()) {
                b.append("running since ").append(j.path("lastStart").asText());
            } else if (j.path("outcome").isNull()) {
                b.append("never ran");
            } else {
                b.append(j.path("outcome").asText())
                        .append(" at ")
                        .append(j.path("lastEnd").asText());
                if (!j.path("durationMs").isNull()) {
                    b.append(" in ").append(j.path("durationMs").asLong()).append(" ms");
                }
            }
            if (!j.path("nextRun").isNull()) {
                b.append(", next at ").append(j.path("nextRun").asText());
            }
            b.append('\n');
        }
        return b.toString().stripTrailing();
    }
}

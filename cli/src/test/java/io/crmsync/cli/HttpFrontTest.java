package io.crmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.config.webhook.WebhookAnswer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpFrontTest {

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(60))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRouteThatThrowsStillAnswersAndTheServerGoesOn() throws Exception {
        try (HttpFront front = new HttpFront("127.0.0.1", 0, (path, ex) -> {
            if (path.startsWith("/boom")) {
                throw new IllegalStateException("the engine could not be built");
            }
            if (path.equals("/after-answer")) {
                ex.answer(WebhookAnswer.of(200, Map.of("ok", true)));
                throw new IllegalStateException("late");
            }
            ex.refuse(WebhookAnswer.error(404, "no such path"));
        })) {
            HttpResponse<String> boom = get(front.baseUri().resolve("/boom/secret-in-path"));
            assertThat(boom.statusCode()).isEqualTo(500);
            assertThat(boom.body())
                    .contains("could not be handled")
                    .doesNotContain("secret-in-path")
                    .doesNotContain("engine");

            HttpResponse<String> answered = get(front.baseUri().resolve("/after-answer"));
            assertThat(answered.statusCode())
                    .as("an answer already written stands")
                    .isEqualTo(200);
            assertThat(get(front.baseUri().resolve("/else")).statusCode()).isEqualTo(404);
        }
    }
}

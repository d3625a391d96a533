package io.crmsync.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class IoFailuresTest {

    private static IOException failureOf(URI uri) throws InterruptedException {
        try {
            HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("expected the request to fail");
    }

    @Test
    void aRefusedConnectionNamesTheHostAndPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/crm/json");
        IOException e = failureOf(uri);
        assertThat(e).isInstanceOf(ConnectException.class);
        assertThat(IoFailures.describe(uri, e))
                .isEqualTo("cannot connect to 127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void anUnknownHostIsNamed() throws Exception {
        URI uri = URI.create("https://no-such-host.invalid/crm/json");
        assertThat(IoFailures.describe(uri, failureOf(uri)))
                .isEqualTo("unknown host no-such-host.invalid (the name does not resolve)");
    }
}

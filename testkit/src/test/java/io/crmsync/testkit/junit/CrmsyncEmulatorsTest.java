package io.crmsync.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@CrmsyncEmulators(contacts = 25, seed = 7)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrmsyncEmulatorsTest {

    private static Emulators first;

    @Test
    @Order(1)
    void bothEmulatorsAreInjectedRunningOnLoopbackWithTheSeededContacts(
            EfficyEmulator efficy, ApsisEmulator apsis, Emulators both) throws Exception {
        first = both;
        assertThat(both.efficy()).isSameAs(efficy);
        assertThat(both.apsis()).isSameAs(apsis);
        assertThat(efficy.contactCount()).isEqualTo(25);
        assertThat(both.efficyUri().getHost()).isEqualTo("127.0.0.1");
        assertThat(both.apsisUri().getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> token = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(both.apsisUri() + "/oauth/token"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + apsis.clientId()
                                                + "\",\"client_secret\":\"" + apsis.clientSecret() + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void theSameEmulatorsServeEveryTestOfTheClass(Emulators both) {
        assertThat(both).isSameAs(first);
    }
}

package io.crmsync.efficy;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.crmsync.client.Sleeper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Shared set-up for client tests: WireMock on 127.0.0.1 and a client with a recording sleeper. */
final class EfficyWireMock {

    static final String API_KEY = "sEcReT-api-key-123";

    private EfficyWireMock() {}

    static WireMockExtension server() {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
                .build();
    }

    static URI base(WireMockExtension wm) {
        return URI.create("http://127.0.0.1:" + wm.getPort() + "/crm");
    }

    /** Records the delays the client asked for, without waiting. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> delays = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void sleep(Duration duration) {
            delays.add(duration);
        }
    }

    static EfficyClient.Builder client(WireMockExtension wm, RecordingSleeper sleeper) {
        return EfficyClient.builder()
                .baseUri(base(wm))
                .customer("demo")
                .apiKey(API_KEY)
                .sleeper(sleeper)
                .jitterSource(() -> 0.5);
    }
}

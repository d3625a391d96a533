package io.crmsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.console.setup.SetupTarget;
import io.crmsync.console.view.ActionResult;
import io.crmsync.console.view.Overview;
import io.crmsync.console.view.QuarantineEntry;
import io.crmsync.console.view.RunEntry;
import io.crmsync.console.view.RunFilter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's security and pages, through {@link Console#handle} with a backend that records what it is asked. */
class ConsoleTest {

    private static final String TOKEN = "an-admin-token-of-some-length";

    private final List<String> actions = new ArrayList<>();
    private final ConsoleBackend backend = new ConsoleBackend() {
        @Override
        public String host() {
            return "test host";
        }

        @Override
        public Overview overview() {
            return new Overview(List.of(), List.of());
        }

        @Override
        public List<QuarantineEntry> quarantine(String tenant) {
            return List.of(new QuarantineEntry(
                    "", "contact", "42", "APSIS refused jane.doe@example.com: <b>bad</b>", Instant.EPOCH, 3));
        }

        @Override
        public ActionResult retry(String tenant, String kind, String id) {
            actions.add("retry " + kind + " " + id);
            return ActionResult.done("retried " + id);
        }

        @Override
        public ActionResult retryAll(String tenant) {
            actions.add("retry all");
            return ActionResult.done("all");
        }

        @Override
        public List<RunEntry> runs(RunFilter filter) {
            return List.of();
        }

        @Override
        public ActionResult fullSync(String tenant) {
            actions.add("full sync");
            return ActionResult.done("started");
        }

        @Override
        public SetupTarget setup() {
            return SetupTarget.unavailable("no set-up here");
        }
    };
    private final Console console =
            Console.builder().backend(backend).token(TOKEN).build();

    private ConsoleResponse send(String method, String path, String cookie, String body, Map<String, String> extra) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Host", List.of("127.0.0.1:8080"));
        if (cookie != null) {
            headers.put("Cookie", List.of(cookie));
        }
        if (body != null) {
            headers.put("Content-Type", List.of("application/x-www-form-urlencoded"));
        }
        extra.forEach((k, v) -> headers.put(k, List.of(v)));
        return console.handle(new ConsoleRequest(
                method,
                path,
                "",
                headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "10.0.0.1",
                false));
    }

    private String login() {
        ConsoleResponse r = send("POST", "/login", null, "token=" + TOKEN, Map.of());
        assertThat(r.status()).isEqualTo(303);
        String cookie = r.headers().get("Set-Cookie");
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/console");
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static String csrf(ConsoleResponse page) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.text());
        assertThat(m.find()).as("a form with its CSRF token").isTrue();
        return m.group(1);
    }

    @Test
    void aPageWithoutASessionSendsTheBrowserToTheLogin() {
        ConsoleResponse r = send("GET", "/quarantine", null, null, Map.of());
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.headers()).containsEntry("Location", "/console/login");
        assertThat(send("POST", "/quarantine/retry-all", null, "", Map.of()).status())
                .isEqualTo(401);
        assertThat(actions).isEmpty();
    }

    @Test
    void everyAnswerCarriesAStrictContentSecurityPolicy() {
        ConsoleResponse r = send("GET", "/login", null, null, Map.of());
        assertThat(r.headers().get("Content-Security-Policy"))
                .startsWith("default-src 'none'; style-src 'sha256-")
                .contains("form-action 'self'", "frame-ancestors 'none'")
                .doesNotContain("script-src", "unsafe");
        assertThat(r.headers()).containsEntry("Cache-Control", "no-store").containsEntry("X-Frame-Options", "DENY");
        assertThat(r.text()).doesNotContain("<script", " style=\"");
    }

    @Test
    void aWrongTokenIsRefusedAndTenWrongTokensBlockTheAddressForAMinute() {
        for (int i = 0; i < 10; i++) {
            assertThat(send("POST", "/login", null, "token=wrong-token-" + i, Map.of())
                            .status())
                    .isEqualTo(401);
        }
        ConsoleResponse blocked = send("POST", "/login", null, "token=" + TOKEN, Map.of());
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.headers()).doesNotContainKey("Set-Cookie");
    }

    @Test
    void anActionNeedsTheSessionsCsrfTokenAndTheSameOrigin() {
        String cookie = login();
        ConsoleResponse page = send("GET", "/quarantine", cookie, null, Map.of());
        assertThat(page.status()).isEqualTo(200);
        String csrf = csrf(page);

        assertThat(send("POST", "/quarantine/retry", cookie, "kind=contact&id=42", Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(send("POST", "/quarantine/retry", cookie, "kind=contact&id=42&csrf=forged", Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(send(
                                "POST",
                                "/quarantine/retry",
                                cookie,
                                "kind=contact&id=42&csrf=" + csrf,
                                Map.of("Origin", "https://evil.example"))
                        .status())
                .isEqualTo(403);
        assertThat(actions).isEmpty();

        ConsoleResponse done = send(
                "POST",
                "/quarantine/retry",
                cookie,
                "kind=contact&id=42&csrf=" + csrf,
                Map.of("Origin", "http://127.0.0.1:8080"));
        assertThat(done.status()).isEqualTo(303);
        assertThat(actions).containsExactly("retry contact 42");
        assertThat(send("GET", "/quarantine", cookie, null, Map.of()).text()).contains("retried 42");
    }

    @Test
    void noActionRunsByGet() {
        String cookie = login();
        for (String path : List.of("/quarantine/retry", "/quarantine/retry-all", "/cluster/full-sync", "/logout")) {
            assertThat(send("GET", path, cookie, null, Map.of()).status())
                    .as(path)
                    .isIn(404, 405);
        }
        assertThat(actions).isEmpty();
    }

    @Test
    void theQuarantineShowsReasonsMaskedAndEscaped() {
        String cookie = login();
        String html = send("GET", "/quarantine", cookie, null, Map.of()).text();
        assertThat(html).contains("***@***").doesNotContain("jane.doe", "example.com", "<b>bad</b>");
        assertThat(html).contains("&lt;b&gt;bad&lt;/b&gt;");
    }

    @Test
    void aBearerTokenServesScriptsWithoutASession() {
        ConsoleResponse r = send("POST", "/quarantine/retry-all", null, "", Map.of("Authorization", "Bearer " + TOKEN));
        assertThat(r.status()).isEqualTo(303);
        assertThat(actions).containsExactly("retry all");
        assertThat(send("GET", "/", null, null, Map.of("Authorization", "Bearer nope-nope-nope-nope"))
                        .status())
                .isEqualTo(303);
    }

    @Test
    void aForgedOrExpiredCookieIsNoSession() {
        String cookie = login();
        String forged = cookie.substring(0, cookie.length() - 3) + "AAA";
        assertThat(send("GET", "/", forged, null, Map.of()).status()).isEqualTo(303);
        Console other =
                Console.builder().backend(backend).token(TOKEN + "-rotated").build();
        Map<String, List<String>> headers = Map.of("Cookie", List.of(cookie));
        assertThat(other.handle(new ConsoleRequest("GET", "/", "", headers, null, "", false))
                        .status())
                .as("a cookie of another token")
                .isEqualTo(303);
    }
}

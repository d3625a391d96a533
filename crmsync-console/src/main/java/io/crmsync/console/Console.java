package io.crmsync.console;

import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.console.auth.ConsoleSessions;
import io.crmsync.console.auth.LoginThrottle;
import io.crmsync.console.auth.RequestChecks;
import io.crmsync.console.setup.SetupWizard;
import io.crmsync.console.view.ActionResult;
import io.crmsync.console.view.RunFilter;
import io.crmsync.console.web.Layout;
import io.crmsync.console.web.Pages;
import io.crmsync.console.web.StatusJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' console: pages rendered on the server (overview, quarantine, runs, cluster, the
 * set-up wizard) for one {@link ConsoleBackend}, behind the admin token. A host passes every
 * request under its mount (default {@value #DEFAULT_MOUNT}) to {@link #handle} and writes the
 * answer back; it serves nothing of the console without a token (the host leaves the console out).
 *
 * <p>Security, whatever the host:
 * <ul>
 *   <li>every page but the login needs a session (a signed cookie the admin token buys, HttpOnly,
 *       SameSite=Strict, 12 hours) or the token as {@code Authorization: Bearer};
 *   <li>every action is a POST with the session's CSRF token, from the same origin (an
 *       {@code Origin} of another host is refused); no action is reachable by GET;
 *   <li>every answer carries a strict content security policy (no script at all, one hashed style
 *       sheet, forms only to itself, no framing) and {@code Cache-Control: no-store};
 *   <li>ten wrong tokens from one address in a minute block its logins for the rest of it;
 *   <li>no page shows a secret or an e-mail address (addresses are masked as the logs mask them).
 * </ul>
 * {@code GET <mount>/api/status} gives the overview and cluster pages as one JSON object (what
 * {@code crmsync status} prints for {@code serve}), under the same authentication.
 *
 * <pre>{@code
 * Console console = Console.builder()
 *         .backend(new PairConsoleBackend(engine, jobs, "serve", target))
 *         .token(System.getenv("CRMSYNC_CONSOLE_TOKEN"))
 *         .build();
 * ConsoleResponse answer = console.handle(request); // request.path() is below /console
 * }</pre>
 */
public final class Console {

    /** The default mount. */
    public static final String DEFAULT_MOUNT = "/console";

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    private static final int FLASHES = 256;

    private final ConsoleBackend backend;
    private final String mount;
    private final ConsoleSessions sessions;
    private final LoginThrottle throttle;
    private final SetupWizard wizard;
    private final Map<String, ActionResult> flashes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ActionResult> eldest) {
            return size() > FLASHES;
        }
    };

    private Console(Builder b) {
        this.backend = Objects.requireNonNull(b.backend, "backend");
        this.mount = b.mount;
        this.sessions = new ConsoleSessions(Objects.requireNonNull(b.token, "token"), b.clock);
        this.throttle = new LoginThrottle(b.clock);
        this.wizard = new SetupWizard(backend.setup());
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The console a host's configuration asks for: on when {@code console.token} is set and
     * {@code console.enabled} is not false, under {@code console.path} (default
     * {@value #DEFAULT_MOUNT}); off (empty) otherwise.
     *
     * @throws ConfigException when the token is shorter than 16 characters, or the path is not one
     */
    public static Optional<Console> configured(CrmsyncConfig cfg, ConsoleBackend backend) {
        if (!cfg.isSet(HostKeys.CONSOLE_TOKEN) || !cfg.get(HostKeys.CONSOLE_ENABLED)) {
            return Optional.empty();
        }
        String token = cfg.get(HostKeys.CONSOLE_TOKEN);
        if (token.length() < 16) {
            throw new ConfigException(HostKeys.CONSOLE_TOKEN.name(), "the admin token needs at least 16 characters");
        }
        try {
            return Optional.of(builder()
                    .backend(backend)
                    .token(token)
                    .mount(cfg.get(HostKeys.CONSOLE_PATH))
                    .build());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(HostKeys.CONSOLE_PATH.name(), e.getMessage());
        }
    }

    /** Where the console is mounted, e.g. {@code /console}. */
    public String mount() {
        return mount;
    }

    /** Answers one request below the mount; never throws for what a caller sends. */
    public ConsoleResponse handle(ConsoleRequest r) {
        try {
            return route(r);
        } catch (RuntimeException e) {
            LOG.warn("console {} failed: {}: {}", r, e.getClass().getSimpleName(), e.getMessage());
            return page(
                    503,
                    null,
                    null,
                    null,
                    Pages.problem(
                            "Not available now",
                            "The data cannot be read now (" + e.getClass().getSimpleName() + "). Try again shortly."));
        }
    }

    private ConsoleResponse route(ConsoleRequest r) {
        String path = r.path();
        if (path.isEmpty()) {
            return redirect(mount + "/", null);
        }
        if (path.equals("/login")) {
            return login(r);
        }
        Optional<String> bearer = bearer(r);
        Optional<String> session = bearer.isPresent()
                ? bearer
                : sessions.session(RequestChecks.sessionCookie(r.headers().getOrDefault("cookie", List.of())));
        if (session.isEmpty()) {
            return r.method().equals("GET") ? redirect(mount + "/login", null) : refuse(401, "Log in first");
        }
        String sid = session.get();
        if (r.method().equals("POST")) {
            if (!sameOrigin(r)) {
                return refuse(403, "This form came from another site");
            }
            Map<String, String> form = r.form();
            if (bearer.isEmpty() && !sessions.csrfMatches(sid, form.get("csrf"))) {
                return refuse(403, "The form has expired: reload the page and try again");
            }
            return action(r, path, sid, form);
        }
        if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
            return refuse(405, "Only GET and POST");
        }
        String csrf = sessions.csrf(sid);
        ActionResult flash = takeFlash(sid);
        Map<String, String> q = r.parameters();
        return switch (path) {
            case "/" -> page(200, "overview", csrf, flash, Pages.overview(backend.overview()), 10);
            case "/quarantine" -> {
                String tenant = q.getOrDefault("tenant", "");
                yield page(
                        200,
                        "quarantine",
                        csrf,
                        flash,
                        Pages.quarantine(
                                mount,
                                csrf,
                                backend.tenants(),
                                tenant,
                                tenant.isEmpty() && !backend.tenants().isEmpty()
                                        ? List.of()
                                        : backend.quarantine(tenant)),
                        0);
            }
            case "/runs" -> {
                RunFilter f = new RunFilter(q.get("job"), q.get("tenant"), q.get("outcome"));
                yield page(200, "runs", csrf, flash, Pages.runs(mount, f, backend.runs(f)), 0);
            }
            case "/cluster" ->
                backend.cluster()
                        .map(c -> page(200, "cluster", csrf, flash, Pages.cluster(mount, csrf, c), 2))
                        .orElseGet(() -> refuse(404, "This host is not a cluster node"));
            case "/api/status" ->
                json(StatusJson.of(backend.host(), backend.overview(), backend.cluster())
                        .toString());
            case "/setup" ->
                page(
                        200,
                        "setup",
                        csrf,
                        flash,
                        wizard.page(mount, csrf, sid, number(q.get("step"), wizard.reached(sid)), q.get("section")),
                        0);
            default -> refuse(404, "No such page");
        };
    }

    private ConsoleResponse action(ConsoleRequest r, String path, String sid, Map<String, String> form) {
        String tenant = form.getOrDefault("tenant", "");
        if (path.equals("/logout")) {
            return redirect(
                    mount + "/login",
                    ConsoleSessions.COOKIE + "=; Path=" + mount + "; Max-Age=0; HttpOnly;" + " SameSite=Strict");
        }
        if (path.startsWith("/setup/")) {
            ActionResult result = wizard.post(sid, path.substring("/setup/".length()), form);
            flash(sid, result);
            if (result.ok() && path.equals("/setup/finish")) {
                return redirect(mount + "/", null);
            }
            return redirect(mount + "/setup?step=" + wizard.reached(sid), null);
        }
        ActionResult result;
        String back;
        switch (path) {
            case "/quarantine/retry" -> {
                result = backend.retry(tenant, form.getOrDefault("kind", ""), form.getOrDefault("id", ""));
                back = "/quarantine" + (tenant.isEmpty() ? "" : "?tenant=" + tenant);
            }
            case "/quarantine/retry-all" -> {
                result = backend.retryAll(tenant);
                back = "/quarantine" + (tenant.isEmpty() ? "" : "?tenant=" + tenant);
            }
            case "/cluster/pause" -> {
                result = backend.pause(tenant);
                back = "/cluster";
            }
            case "/cluster/resume" -> {
                result = backend.resume(tenant);
                back = "/cluster";
            }
            case "/cluster/full-sync" -> {
                result = backend.fullSync(tenant);
                back = backend.cluster().isPresent() ? "/cluster" : "/";
            }
            default -> {
                return refuse(r.method().equals("POST") ? 404 : 405, "No such action");
            }
        }
        LOG.info("console: {} {}: {}", path, tenant.isEmpty() ? "" : "tenant " + tenant, result.message());
        flash(sid, result);
        return redirect(mount + back.replaceAll("[^A-Za-z0-9/?=._-]", ""), null);
    }

    private ConsoleResponse login(ConsoleRequest r) {
        if (r.method().equals("GET") || r.method().equals("HEAD")) {
            return page(200, null, null, null, Pages.login(mount, null));
        }
        if (!r.method().equals("POST")) {
            return refuse(405, "Only GET and POST");
        }
        if (!sameOrigin(r)) {
            return refuse(403, "This form came from another site");
        }
        if (!throttle.allows(r.remote())) {
            return page(429, null, null, null, Pages.login(mount, "Too many wrong tokens: wait a minute"));
        }
        if (!sessions.isToken(r.form().get("token"))) {
            throttle.failed(r.remote());
            LOG.warn("console: a wrong admin token from {}", r.remote());
            return page(401, null, null, null, Pages.login(mount, "That is not the admin token"));
        }
        return redirect(
                mount + "/",
                ConsoleSessions.COOKIE + "=" + sessions.issue() + "; Path=" + mount + "; HttpOnly; SameSite=Strict"
                        + (r.secure() ? "; Secure" : ""));
    }

    private Optional<String> bearer(ConsoleRequest r) {
        String auth = r.header("authorization");
        if (auth != null
                && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                && sessions.isToken(auth.substring(7).strip())) {
            return Optional.of("bearer");
        }
        return Optional.empty();
    }

    private static boolean sameOrigin(ConsoleRequest r) {
        return RequestChecks.sameOrigin(r.header("origin"), r.header("sec-fetch-site"), r.header("host"));
    }

    private synchronized void flash(String sid, ActionResult result) {
        flashes.put(sid, result);
    }

    private synchronized ActionResult takeFlash(String sid) {
        return flashes.remove(sid);
    }

    private static int number(String text, int fallback) {
        return text != null && text.matches("[1-9]") ? Integer.parseInt(text) : fallback;
    }

    private ConsoleResponse page(int status, String tab, String csrf, ActionResult flash, String body, int refresh) {
        String html = Layout.page(
                mount, tab, backend.host(), csrf, backend.cluster().isPresent() && csrf != null, flash, refresh, body);
        Map<String, String> h = Layout.securityHeaders();
        h.put("Content-Type", "text/html; charset=utf-8");
        return new ConsoleResponse(status, h, html.getBytes(StandardCharsets.UTF_8));
    }

    private ConsoleResponse page(int status, String tab, String csrf, ActionResult flash, String body) {
        return page(status, tab, csrf, flash, body, 0);
    }

    private ConsoleResponse refuse(int status, String message) {
        return page(status, null, null, null, Pages.problem("Refused", message));
    }

    private static ConsoleResponse json(String body) {
        Map<String, String> h = Layout.securityHeaders();
        h.put("Content-Type", "application/json");
        return new ConsoleResponse(200, h, body.getBytes(StandardCharsets.UTF_8));
    }

    private static ConsoleResponse redirect(String location, String cookie) {
        Map<String, String> h = Layout.securityHeaders();
        h.put("Location", location);
        if (cookie != null) {
            h.put("Set-Cookie", cookie);
        }
        return new ConsoleResponse(303, h, new byte[0]);
    }

    /** Builds a {@link Console}. */
    public static final class Builder {
        private ConsoleBackend backend;
        private String token;
        private String mount = DEFAULT_MOUNT;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** What the pages show and do. Required. */
        public Builder backend(ConsoleBackend backend) {
            this.backend = backend;
            return this;
        }

        /** The admin token, 16 characters or more. Required. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Where the host mounts the console; default {@value #DEFAULT_MOUNT}. */
        public Builder mount(String mount) {
            String m = Objects.requireNonNull(mount, "mount").replaceAll("/+$", "");
            if (!m.matches("(/[A-Za-z0-9._-]+)+")) {
                throw new IllegalArgumentException("the console's mount must be a path such as /console, was " + mount);
            }
            this.mount = m;
            return this;
        }

        /** The clock of sessions and throttling (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds it.
         *
         * @throws IllegalArgumentException for a token shorter than 16 characters
         */
        public Console build() {
            return new Console(this);
        }
    }
}

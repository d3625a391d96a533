package io.crmsync.testkit.internal.efficy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.efficy.ContactChange;
import io.crmsync.testkit.efficy.EfficyDatabase;
import io.crmsync.testkit.efficy.EfficyErrorShape;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The Efficy JSON-RPC protocol at {@code /crm/json}, read independently of the project's client
 * from the protocol notes: a JSON array of contexts ({@code api}, {@code consult}, {@code edit},
 * {@code search}) with lowercase parameters and {@code @func} lists, answered in the same order
 * with every context and function echoed and {@code #result} filled in. HTTP 200 even for errors,
 * which come in the shape {@link #errorShape} sets (every shape the notes list; by default the
 * {@code exception} element beside the echoed contexts); a body that is not an array and a wrong
 * customer get a whole-request object. This class handles the HTTP exchange, the session cookie,
 * the credentials and the error shapes; the contexts are {@link ApiFunctions},
 * {@link RecordContexts} and {@link EditContext}.
 */
public final class EfficyRpcHandler {

    private final EfficyDatabase db;
    private final ObjectMapper mapper;
    private final String apiKey;
    private final String user;
    private final String password;
    private final String customer;
    private final Consumer<List<ContactChange>> changes;
    private final ApiFunctions api;
    private final RecordContexts records;
    private final EditContext edits;
    /** Open sessions, oldest first; capped so clients that never send the cookie cannot exhaust memory. */
    private final Map<String, Boolean> sessions = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    });

    private volatile boolean httpUnauthorizedForBadCredentials;
    private volatile EfficyErrorShape errorShape = EfficyErrorShape.EXCEPTION_ELEMENT;
    /** How far ahead the session cookie's {@code expires} lies. */
    private static final Duration SESSION_LIFETIME = Duration.ofHours(1);

    /**
     * Creates the handler.
     *
     * @param changes receives the contact changes of each request, after it is processed
     */
    public EfficyRpcHandler(
            EfficyDatabase db,
            ObjectMapper mapper,
            String apiKey,
            String user,
            String password,
            String customer,
            Consumer<List<ContactChange>> changes) {
        this.db = db;
        this.mapper = mapper;
        this.apiKey = apiKey;
        this.user = user;
        this.password = password;
        this.customer = customer;
        this.changes = changes;
        RpcSupport support = new RpcSupport(db, mapper, () -> errorShape);
        this.api = new ApiFunctions(db, support, customer);
        this.records = new RecordContexts(db, support);
        this.edits = new EditContext(db, support);
    }

    /** The shape of in-body errors; default {@link EfficyErrorShape#EXCEPTION_ELEMENT}. */
    public void errorShape(EfficyErrorShape shape) {
        this.errorShape = Objects.requireNonNull(shape, "shape");
    }

    /** Answer bad credentials with HTTP 401 instead of an exception element. */
    public void httpUnauthorizedForBadCredentials(boolean enabled) {
        this.httpUnauthorizedForBadCredentials = enabled;
    }

    /** Forgets every session, so the next request with an old cookie hears "Session timeout". */
    public void expireSessions() {
        sessions.clear();
    }

    /** Open sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Handles one HTTP request. */
    public EmulatorResponse handle(EmulatorRequest request) {
        if (!request.path().equals("/crm/json")) {
            return EmulatorResponse.json(404, "{\"error\":true,\"message\":\"not found\"}", "notfound");
        }
        if (!request.method().equals("POST")) {
            return EmulatorResponse.json(405, "{\"error\":true,\"message\":\"POST only\"}", "method");
        }
        String requestedCustomer = request.header("x-efficy-customer").orElse(queryCustomer(request));
        if (customer != null && requestedCustomer != null && !customer.equalsIgnoreCase(requestedCustomer)) {
            ObjectNode error = mapper.createObjectNode();
            error.putObject("#error")
                    .put("errorcode", "HOST")
                    .put("errorstring", "Invalid customer '" + requestedCustomer + "'");
            return EmulatorResponse.json(200, error.toString(), "error:customer");
        }
        JsonNode root;
        try {
            root = mapper.readTree(request.body());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isArray()) {
            return EmulatorResponse.json(
                    200,
                    "{\"error\":true,\"code\":\"PARSE\",\"message\":"
                            + "\"Request body is not a JSON array\",\"detail\":\"\"}",
                    "error:body");
        }
        if (!authenticated(request)) {
            if (httpUnauthorizedForBadCredentials) {
                return EmulatorResponse.empty(401, "error:credentials");
            }
            return failed(
                    root,
                    mapper.createArrayNode(),
                    0,
                    new BatchError("CORE-1243", "Invalid User"),
                    "error:credentials");
        }
        String cookie = sessionCookie(request);
        String newSession = null;
        if (cookie != null && !sessions.containsKey(cookie)) {
            return failed(root, mapper.createArrayNode(), 0, new BatchError("", "Session timeout"), "error:session");
        }
        if (cookie == null) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            newSession = String.format("%08X-%08X", random.nextInt(), random.nextInt());
            sessions.put(newSession, Boolean.TRUE);
        }
        List<ContactChange> changed = new ArrayList<>();
        ArrayNode answer = mapper.createArrayNode();
        List<String> routeParts = new ArrayList<>();
        EmulatorResponse response = null;
        for (JsonNode context : root) {
            try {
                answer.add(context(context, changed, routeParts));
            } catch (BatchError e) {
                if (errorShape == EfficyErrorShape.INLINE_ERROR) {
                    ObjectNode echo = context.deepCopy();
                    echo.putObject("#error").put("errorcode", e.code).put("errorstring", e.getMessage());
                    answer.add(echo);
                    continue;
                }
                response = failed(root, answer, answer.size(), e, "error:" + String.join(" ", routeParts));
                break;
            }
        }
        if (!changed.isEmpty()) {
            changes.accept(changed);
        }
        if (response == null) {
            response = EmulatorResponse.json(200, answer.toString(), String.join(" ", routeParts));
        }
        if (newSession != null) {
            // Notes §1: Set-Cookie carries path and expires; the npm client drops a cookie without a
            // future expires, so leaving it out makes every request open a new session.
            String expires = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.ofInstant(db.clock().instant().plus(SESSION_LIFETIME), ZoneOffset.UTC));
            response = response.withHeader(
                    "Set-Cookie", "EfficySession=" + newSession + "; path=/crm; expires=" + expires + "; HttpOnly");
        }
        String active = newSession != null ? newSession : cookie;
        if (request.header("x-efficy-logoff")
                .map(v -> v.equalsIgnoreCase("true"))
                .orElse(false)) {
            sessions.remove(active);
        }
        return response;
    }

    /**
     * The answer to a request that failed at context {@code failedAt}, in the configured shape. For
     * the exception element: the contexts answered so far, the rest echoed as sent (with their
     * {@code #id}, which clients match before they read the error), then the exception.
     */
    private EmulatorResponse failed(JsonNode request, ArrayNode answered, int failedAt, BatchError e, String route) {
        ObjectNode error = mapper.createObjectNode();
        switch (errorShape) {
            case ERROR_OBJECT:
                error.putObject("#error").put("errorcode", e.code).put("errorstring", e.getMessage());
                return EmulatorResponse.json(200, error.toString(), route);
            case ERROR_FLAG_OBJECT:
                error.put("error", true)
                        .put("code", e.code)
                        .put("message", e.getMessage())
                        .put("detail", "");
                return EmulatorResponse.json(200, error.toString(), route);
            case INLINE_ERROR:
                ArrayNode inline = mapper.createArrayNode();
                for (JsonNode context : request) {
                    ObjectNode echo = context.deepCopy();
                    echo.putObject("#error").put("errorcode", e.code).put("errorstring", e.getMessage());
                    inline.add(echo);
                }
                return EmulatorResponse.json(200, inline.toString(), route);
            default:
                ArrayNode answer = answered.deepCopy();
                for (int i = failedAt; i < request.size(); i++) {
                    answer.add(request.get(i).deepCopy());
                }
                ObjectNode exception = answer.addObject();
                exception.put("@name", "exception");
                exception.putObject("#error").put("errorcode", e.code).put("errorstring", e.getMessage());
                return EmulatorResponse.json(200, answer.toString(), route);
        }
    }

    private static String queryCustomer(EmulatorRequest request) {
        String query = request.uri().getQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("customer=")) {
                return URLDecoder.decode(pair.substring(9), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private boolean authenticated(EmulatorRequest request) {
        var key = request.header("x-efficy-apikey");
        if (key.isPresent()) {
            return key.get().equals(apiKey);
        }
        return user != null
                && request.header("x-efficy-user").map(user::equals).orElse(false)
                && request.header("x-efficy-pwd").map(password::equals).orElse(false);
    }

    private static String sessionCookie(EmulatorRequest request) {
        for (String header : request.headers().getOrDefault("cookie", List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith("EfficySession=")) {
                    return p.substring("EfficySession=".length());
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------

    private ObjectNode context(JsonNode request, List<ContactChange> changed, List<String> route) {
        ObjectNode echo = request.deepCopy();
        ArrayNode funcs = mapper.createArrayNode();
        echo.set("@func", funcs);
        String name = request.path("@name").asText("").toLowerCase(Locale.ROOT);
        List<String> funcNames = new ArrayList<>();
        request.path("@func").forEach(f -> funcNames.add(f.path("@name").asText("")));
        route.add(name + ":" + String.join(",", funcNames));
        EfficyVocabulary.auditContext(name, request);
        request.path("@func").forEach(f -> EfficyVocabulary.auditFunc(name, f));
        switch (name) {
            case "api":
                for (JsonNode func : request.path("@func")) {
                    funcs.add(api.apiFunc(func, changed));
                }
                return echo;
            case "consult":
                return records.consult(request, echo, funcs);
            case "edit":
                return edits.edit(request, echo, funcs, changed);
            case "search":
                return records.search(request, echo, funcs);
            default:
                throw new BatchError("CONTEXT", "Unknown context '" + name + "'");
        }
    }
}

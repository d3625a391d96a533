package io.crmsync.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmsync.testkit.efficy.ContactChange;
import io.crmsync.testkit.efficy.EfficyDatabase;
import io.crmsync.testkit.efficy.EfficyErrorShape;
import io.crmsync.testkit.http.FaultPlan;
import io.crmsync.testkit.http.RequestJournal;
import io.crmsync.testkit.internal.admin.EfficyAdmin;
import io.crmsync.testkit.internal.efficy.EfficyRpcHandler;
import io.crmsync.testkit.internal.efficy.WebhookSender;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import io.crmsync.testkit.internal.http.EmulatorServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stateful Efficy Enterprise emulator speaking JSON-RPC at {@code {baseUri}/crm/json}, on
 * 127.0.0.1 and a free port. Data lives in an in-memory H2 database shaped like Efficy's (see
 * {@link EfficyDatabase}); users 1 (APIUSER), 169 (JDOE), 170 (PSMITH) and group 28 (SALES), and
 * Profiles 1 (Newsletter), 2 (Events), 3 (Product news) exist from the start.
 *
 * <p>Defaults: API key {@code test-api-key}, customer alias {@code demo}, user {@code APIUSER}
 * with password {@code secret}. Thread-safe.
 *
 * <p>One server can serve many customers, as a hosted Efficy does: {@link #addCustomer} adds one
 * with its own alias, API key and database, and requests are routed by the alias they name in
 * {@code X-Efficy-Customer} or {@code ?customer=}. With more than one customer, a request that
 * names none is refused, so a client that forgets its alias cannot reach another customer's data.
 *
 * <pre>{@code
 * try (EfficyEmulator efficy = EfficyEmulator.start()) {
 *   efficy.seedContacts(1_000, 42);
 *   URI base = efficy.baseUri(); // then point an EfficyClient at base + "/crm"
 * }
 * }</pre>
 */
public final class EfficyEmulator implements AutoCloseable, EfficyAdmin.Customer {

    /** The default API key. */
    public static final String DEFAULT_API_KEY = "test-api-key";
    /** The default customer alias. */
    public static final String DEFAULT_CUSTOMER = "demo";

    private final EfficyDatabase db;
    private final EfficyRpcHandler rpc;
    private final WebhookSender webhooks;
    private final EmulatorServer server;
    private final String apiKey;
    private final String customer;
    private final Clock clock;
    /** Every customer this server serves, by lower-case alias; shared by the owner and its views. */
    private final Map<String, EfficyEmulator> customers;

    private volatile String onDemandPrefix;
    /** The emulator that started the server (this one, or the owner of this customer view). */
    private final EfficyEmulator owner;

    private EfficyEmulator(Builder b) throws IOException {
        this.apiKey = b.apiKey;
        this.customer = b.customer;
        this.clock = b.clock;
        this.owner = this;
        this.customers = new ConcurrentHashMap<>();
        this.db = new EfficyDatabase(b.clock);
        this.webhooks = new WebhookSender(MAPPER, b.clock, b.customer);
        this.rpc = new EfficyRpcHandler(db, MAPPER, b.apiKey, "APIUSER", b.password, b.customer, webhooks::send);
        customers.put(b.customer.toLowerCase(Locale.ROOT), this);
        this.server = new EmulatorServer(
                b.port,
                16 * 1024 * 1024,
                b.clock,
                this::route,
                EmulatorResponse.json(413, "{\"error\":true,\"message\":\"body too large\"}", "error:size"));
    }

    private EfficyEmulator(EfficyEmulator owner, String customer, String apiKey, String password) {
        this.apiKey = apiKey;
        this.customer = customer;
        this.clock = owner.clock;
        this.owner = owner;
        this.customers = owner.customers;
        this.server = owner.server;
        this.db = new EfficyDatabase(owner.clock);
        this.webhooks = new WebhookSender(MAPPER, owner.clock, customer);
        this.rpc = new EfficyRpcHandler(db, MAPPER, apiKey, "APIUSER", password, customer, webhooks::send);
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /**
     * Adds a customer to this server, with its own alias, API key (user APIUSER, password
     * {@code secret}) and an empty database of its own, and returns its view: the same methods as
     * this emulator, on that customer's data. Closing the view removes the customer.
     *
     * <pre>{@code
     * EfficyEmulator acme = efficy.addCustomer("acme", "acme-key");
     * acme.seedContacts(50, 1);
     * }</pre>
     *
     * @throws IllegalArgumentException when the alias is blank or served already
     */
    public EfficyEmulator addCustomer(String alias, String apiKey) {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(apiKey, "apiKey");
        if (alias.isBlank()) {
            throw new IllegalArgumentException("customer alias must not be blank");
        }
        EfficyEmulator view = new EfficyEmulator(owner, alias, apiKey, "secret");
        if (customers.putIfAbsent(alias.toLowerCase(Locale.ROOT), view) != null) {
            view.db.close();
            view.webhooks.close();
            throw new IllegalArgumentException("customer '" + alias + "' is served already");
        }
        return view;
    }

    /**
     * Serves any alias that starts with {@code prefix} as a customer of its own, made on its first
     * request: API key {@code <alias>-key}, and 20 to 200 contacts generated from the alias (the
     * same ones every time). Thousands of customers for a scale benchmark cost nothing until each
     * is used. Returns this emulator.
     */
    public EfficyEmulator customersOnDemand(String prefix) {
        owner.onDemandPrefix = Objects.requireNonNull(prefix, "prefix");
        return this;
    }

    private synchronized EfficyEmulator onDemand(String alias) {
        EfficyEmulator made = customers.get(alias.toLowerCase(Locale.ROOT));
        return made != null
                ? made
                : addCustomer(alias, alias + "-key")
                        .seedContacts(20 + Math.floorMod(alias.hashCode(), 181), alias.hashCode());
    }

    /** The customers this server serves, by alias. */
    public Set<String> customers() {
        Set<String> out = new TreeSet<>();
        customers.values().forEach(c -> out.add(c.customer));
        return out;
    }

    /**
     * Routes a request to the customer it names. A name nobody serves goes to the first customer,
     * whose handler refuses it as Efficy does ("Invalid customer"); no name at all is refused when
     * several customers are served.
     */
    private EmulatorResponse route(EmulatorRequest request) {
        if (EfficyAdmin.isAdmin(request)) {
            List<EfficyAdmin.Customer> all = new ArrayList<>(List.of(owner));
            customers.values().stream().filter(c -> c != owner).forEach(all::add);
            return EfficyAdmin.handle(request, all, n -> customers.get(n.toLowerCase(Locale.ROOT)));
        }
        String named = request.header("x-efficy-customer").orElse(null);
        if (named == null) {
            named = queryParameter(request.uri().getQuery(), "customer");
        }
        if (named == null) {
            if (customers.size() > 1) {
                return EmulatorResponse.json(
                        200,
                        "{\"#error\":{\"errorcode\":\"HOST\",\"errorstring\":"
                                + "\"No customer named: this host serves several (X-Efficy-Customer or ?customer=)\"}}",
                        "error:customer");
            }
            return owner.rpc.handle(request);
        }
        EfficyEmulator target = customers.get(named.toLowerCase(Locale.ROOT));
        String prefix = owner.onDemandPrefix;
        if (target == null && prefix != null && named.startsWith(prefix)) {
            target = onDemand(named);
        }
        return (target != null ? target : owner).rpc.handle(request);
    }

    private static String queryParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Starts an emulator with the defaults on a free port. */
    public static EfficyEmulator start() {
        return builder().start();
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}; the JSON-RPC endpoint is {@code /crm/json} below it. */
    public URI baseUri() {
        return server.baseUri();
    }

    /** The accepted API key. */
    public String apiKey() {
        return apiKey;
    }

    /** The customer alias. */
    public String customer() {
        return customer;
    }

    /** The request journal; routes are the contexts and functions of each batch. */
    public RequestJournal journal() {
        return server.journal();
    }

    /** Planned faults. */
    public FaultPlan faults() {
        return server.faults();
    }

    /** The database, for direct queries in tests. */
    public EfficyDatabase database() {
        return db;
    }

    /** Answer bad credentials with HTTP 401 instead of an in-body "Invalid User" exception. */
    public void httpUnauthorizedForBadCredentials(boolean enabled) {
        rpc.httpUnauthorizedForBadCredentials(enabled);
    }

    /**
     * The shape of in-body errors (bad entity, bad SQL, unknown query, refused credentials…);
     * default {@link EfficyErrorShape#EXCEPTION_ELEMENT}. Clients should be tested under each.
     */
    public void errorShape(EfficyErrorShape shape) {
        rpc.errorShape(shape);
    }

    /** Ends every session: a request with an old cookie gets "Session timeout". */
    public void expireSessions() {
        rpc.expireSessions();
    }

    /** Open sessions. */
    public int sessionCount() {
        return rpc.sessionCount();
    }

    /** Posts webhook calls for contact changes to {@code uri}; null stops. */
    public void webhooks(URI uri) {
        webhooks.target(uri);
    }

    /** Webhook calls answered with 2xx. */
    public int webhooksDelivered() {
        webhooks.flush();
        return webhooks.delivered();
    }

    // --- seeding and mutation helpers ------------------------------------------------------------

    /**
     * Inserts {@code count} generated contacts with keys 1..count (see {@link ContactGenerator}):
     * F_NEWSLETTER and F_SMS_OPTIN checkboxes, Profile memberships, some invalid e-mails.
     */
    public EfficyEmulator seedContacts(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        db.seedContacts(count, seed);
        return this;
    }

    /** Creates a contact with the given fields; returns its key. Sends a Create webhook. */
    public long createContact(Map<String, ?> fields) {
        Timestamp at = db.nextChange();
        Map<String, Object> row = db.checked("CONTACTS", fields);
        row.put("D_CREATE", at);
        row.put("D_CHANGE", at);
        String cols = String.join(", ", row.keySet());
        String marks = String.join(",", row.keySet().stream().map(k -> "?").toList());
        db.update(
                "insert into CONTACTS(" + cols + ") values (" + marks + ")",
                row.values().toArray());
        long key = ((Number) db.rows("select max(K_CONTACT) as K from CONTACTS")
                        .get(0)
                        .get("K"))
                .longValue();
        webhooks.send(List.of(new ContactChange(key, "Create", Map.copyOf(fields))));
        return key;
    }

    /** Changes fields of a contact and sets its D_CHANGE. Sends an Update webhook. */
    public void updateContact(long key, Map<String, ?> fields) {
        Map<String, Object> row = db.checked("CONTACTS", fields);
        row.put("D_CHANGE", db.nextChange());
        String sets =
                String.join(", ", row.keySet().stream().map(k -> k + " = ?").toList());
        List<Object> values = new ArrayList<>(row.values());
        values.add(key);
        if (db.update("update CONTACTS set " + sets + " where K_CONTACT = ?", values.toArray()) == 0) {
            throw new IllegalArgumentException("contact " + key + " does not exist");
        }
        Map<String, Object> sent = new LinkedHashMap<>();
        fields.forEach(sent::put);
        webhooks.send(List.of(new ContactChange(key, "Update", sent)));
    }

    /** Deletes a contact and its memberships. Sends a Delete webhook. */
    public void deleteContact(long key) {
        db.update("delete from CONT_PROF where K_CONTACT = ?", key);
        if (db.update("delete from CONTACTS where K_CONTACT = ?", key) == 0) {
            throw new IllegalArgumentException("contact " + key + " does not exist");
        }
        webhooks.send(List.of(new ContactChange(key, "Delete", Map.of())));
    }

    /** Adds or removes a Profile membership and sets the contact's D_CHANGE. */
    public void setProfile(long contactKey, long profileKey, boolean member) {
        Timestamp at = db.nextChange();
        if (member) {
            db.update(
                    "merge into CONT_PROF(K_CONTACT, K_PROFILE, D_CHANGE) key(K_CONTACT, K_PROFILE) values (?,?,?)",
                    contactKey,
                    profileKey,
                    at);
        } else {
            db.update("delete from CONT_PROF where K_CONTACT = ? and K_PROFILE = ?", contactKey, profileKey);
        }
        db.update("update CONTACTS set D_CHANGE = ? where K_CONTACT = ?", at, contactKey);
        webhooks.send(List.of(new ContactChange(contactKey, "Update", Map.of())));
    }

    /** A contact's row (upper-case column names), or an empty map. */
    public Map<String, Object> contact(long key) {
        List<Map<String, Object>> rows = db.rows("select * from CONTACTS where K_CONTACT = ?", key);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    /** The Profiles a contact belongs to. */
    public Set<Long> profilesOf(long contactKey) {
        Set<Long> keys = new TreeSet<>();
        db.rows("select K_PROFILE from CONT_PROF where K_CONTACT = ?", contactKey)
                .forEach(r -> keys.add(((Number) r.get("K_PROFILE")).longValue()));
        return keys;
    }

    /** Number of contacts. */
    public long contactCount() {
        return ((Number) db.rows("select count(*) as N from CONTACTS").get(0).get("N")).longValue();
    }

    /**
     * The Acti records linked to a contact, each with its row plus {@code CONTACTS} and
     * {@code USERS} (lists of linked keys).
     */
    public List<Map<String, Object>> activitiesOf(long contactKey) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> row : db.rows(
                "select a.* from ACTIONS a join ACTI_CONT r on r.K_ACTION = a.K_ACTION"
                        + " where r.K_CONTACT = ? order by a.K_ACTION",
                contactKey)) {
            result.add(withLinks(row));
        }
        return result;
    }

    /** Every Acti record, with its links (see {@link #activitiesOf}). */
    public List<Map<String, Object>> activities() {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> row : db.rows("select * from ACTIONS order by K_ACTION")) {
            result.add(withLinks(row));
        }
        return result;
    }

    private Map<String, Object> withLinks(Map<String, Object> row) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        Object key = row.get("K_ACTION");
        copy.put(
                "CONTACTS",
                db.rows("select K_CONTACT from ACTI_CONT where K_ACTION = ?", key).stream()
                        .map(r -> ((Number) r.get("K_CONTACT")).longValue())
                        .toList());
        copy.put(
                "USERS",
                db.rows("select K_USER from ACTI_USER where K_ACTION = ?", key).stream()
                        .map(r -> ((Number) r.get("K_USER")).longValue())
                        .toList());
        return copy;
    }

    /** Adds a user (KIND 0), group (1), resource (2) or team (3). */
    public void addUser(long key, String code, String fullName, int kind) {
        db.update("insert into USERS(K_USER, USERCODE, FULLNAME, KIND) values (?,?,?,?)", key, code, fullName, kind);
    }

    /**
     * Stores a query in QUERIES; {@code sql} is a select that may use {@code :p1}, {@code :p2}...
     * filled from the {@code query} call's parameters.
     */
    public void addStoredQuery(long key, String name, String sql) {
        db.update("merge into QUERIES(K_QUERY, NAME, SQL_TEXT) key(K_QUERY) values (?,?,?)", key, name, sql);
    }

    /**
     * Closes this customer. Closing the emulator that started the server stops the server and every
     * customer on it; closing a view from {@link #addCustomer} removes that customer only.
     */
    @Override
    public void close() {
        if (owner == this) {
            server.close();
            for (EfficyEmulator c : List.copyOf(customers.values())) {
                if (c != this) {
                    c.close();
                }
            }
        }
        customers.remove(customer.toLowerCase(Locale.ROOT), this);
        webhooks.close();
        db.close();
    }

    /** Builds an {@link EfficyEmulator}. */
    public static final class Builder {
        private int port;
        private String apiKey = DEFAULT_API_KEY;
        private String customer = DEFAULT_CUSTOMER;
        private String password = "secret";
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The port; default 0 (a free one). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The accepted API key. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** The customer alias; requests naming another one are refused. */
        public Builder customer(String customer) {
            this.customer = Objects.requireNonNull(customer, "customer");
            return this;
        }

        /** The password of user APIUSER. */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The clock for D_CHANGE and webhook dates. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Starts the emulator. */
        public EfficyEmulator start() {
            try {
                return new EfficyEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the Efficy emulator", e);
            }
        }
    }
}

package io.crmsync.efficy;

import io.crmsync.client.BaseUris;
import io.crmsync.client.Checks;
import io.crmsync.client.RetryPolicy;
import io.crmsync.client.Sleeper;
import io.crmsync.efficy.contact.ContactSource;
import io.crmsync.efficy.contact.QueryParameterStyle;
import io.crmsync.efficy.error.EfficyAuthenticationException;
import io.crmsync.efficy.error.EfficyRpcException;
import io.crmsync.efficy.error.EfficyServerException;
import io.crmsync.efficy.error.EfficyTransportException;
import io.crmsync.efficy.internal.EfficyNames;
import io.crmsync.efficy.rpc.BatchResponse;
import io.crmsync.efficy.rpc.JsonRpcBatch;
import io.crmsync.efficy.user.EfficyIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Typed client for the Efficy Enterprise JSON-RPC API at {@code {base}/crm/json}.
 *
 * <p>Build one per Efficy database and share it: the client is immutable and thread-safe, holds
 * one {@link HttpClient} (its connection pool) and one Efficy session, and caps concurrent
 * requests (default 4, since Efficy gets slower past 3–4 parallel sessions). Each operation is one
 * HTTP request; several operations can share one with {@link #execute(JsonRpcBatch)}. The
 * operations are grouped as the APSIS client's are: {@link #contacts()}, {@link #activities()},
 * {@link #queries()} and {@link #users()}.
 *
 * <p>Sessions: the {@code EfficySession} cookie from the server is kept and sent back; when an
 * answer says the session expired (HTTP 401, or texts such as "Session timeout" or "Please Logon
 * to Database"), the cookie is dropped and the batch is sent once more with a fresh session.
 * {@link #close()} logs the session off with {@code X-Efficy-Logoff: true}.
 *
 * <p>Retries: read-only batches (and batches marked idempotent) are retried after I/O errors,
 * timeouts and HTTP 5xx under the {@link RetryPolicy}; creates are never retried, so a record is
 * never created twice by the client.
 *
 * <p>Secrets: the API key and password are sent as headers and appear in no log line, exception
 * message or {@code toString()}.
 *
 * <pre>{@code
 * try (EfficyClient efficy = EfficyClient.builder()
 *     .baseUri(URI.create("https://mycompany.efficy.cloud/crm"))
 *     .customer("mycompany")
 *     .apiKey(System.getenv("EFFICY_API_KEY"))
 *     .build()) {
 *   EfficyIdentity me = efficy.whoAmI();
 *   efficy.contacts().pages(ContactPageRequest.from(ContactCursor.start()).fields(List.of("NAME", "EMAIL1")))
 *       .forEach(page -> page.contacts().forEach(c -> System.out.println(c.key())));
 * }
 * }</pre>
 */
public final class EfficyClient implements AutoCloseable {

    private final URI endpoint;
    private final String customer;
    private final String apiKey;
    private final String user;
    private final int maxConcurrentRequests;
    private final ContactSource contactSource;
    private final EfficyTransport transport;
    private final ContactService contacts;
    private final ActivityService activities;
    private final QueryService queries;
    private final UserService users;

    private EfficyClient(Builder b) {
        this.endpoint = b.endpoint;
        this.customer = b.customer;
        this.apiKey = b.apiKey;
        this.user = b.user;
        this.maxConcurrentRequests = b.maxConcurrentRequests;
        this.contactSource = b.contactSource;
        HttpClient http = b.httpClient != null
                ? b.httpClient
                : HttpClient.newBuilder()
                        .connectTimeout(b.connectTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        this.transport = new EfficyTransport(
                b.endpoint,
                b.customer,
                b.apiKey,
                b.user,
                b.password,
                b.requestTimeout,
                b.retryPolicy,
                b.maxConcurrentRequests,
                b.clock,
                b.sleeper,
                b.jitterSource,
                b.listener,
                http);
        this.contacts = new ContactService(transport, b.contactSource, b.lookupBatchSize);
        this.activities = new ActivityService(transport, b.lookupBatchSize, b.activityKeyField);
        this.queries = new QueryService(transport, b.queryParameterStyle);
        this.users = new UserService(transport);
    }

    /** Starts a builder; {@link Builder#baseUri} and credentials are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The JSON-RPC endpoint, {@code {base}/crm/json}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Contacts: pages, one contact, field updates, Profile links, look-ups by address. */
    public ContactService contacts() {
        return contacts;
    }

    /** Actions: look-ups by source id and creates, once per source id. */
    public ActivityService activities() {
        return activities;
    }

    /** Stored queries. */
    public QueryService queries() {
        return queries;
    }

    /** Users, groups, resources and teams. */
    public UserService users() {
        return users;
    }

    /** The contact source used by the paging operations. */
    public ContactSource contactSource() {
        return contactSource;
    }

    // ---------------------------------------------------------------------------------------------
    // Operations

    /**
     * Who the client is logged in as, the database alias, the license and the system settings (from
     * which {@link EfficyIdentity#version()} reads the server version). One request; the cheapest
     * way to check credentials.
     */
    public EfficyIdentity whoAmI() {
        return users.whoAmI();
    }

    // ---------------------------------------------------------------------------------------------
    // Transport

    /**
     * Sends a batch in one HTTP request and returns the answers of its contexts.
     *
     * @throws EfficyAuthenticationException when the credentials or session are refused
     * @throws EfficyRpcException when Efficy reports an error in the answer
     * @throws EfficyServerException on HTTP 5xx (after retries, when the batch allows them)
     * @throws EfficyTransportException on I/O errors, timeouts and unreadable answers
     * @throws IllegalStateException when the client is closed
     */
    public BatchResponse execute(JsonRpcBatch batch) {
        return transport.execute(batch);
    }

    /** Whether the client holds an Efficy session cookie. */
    public boolean hasSession() {
        return transport.hasSession();
    }

    /**
     * Logs the session off ({@code X-Efficy-Logoff: true}) when there is one, then refuses further
     * calls. A failure to log off is logged, not thrown. Idempotent.
     */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "EfficyClient{endpoint=" + endpoint
                + ", customer=" + (customer == null ? "-" : customer)
                + ", auth=" + (apiKey != null ? "apiKey(redacted)" : "user " + user + " (password redacted)")
                + ", maxConcurrentRequests=" + maxConcurrentRequests + "}";
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Builds an {@link EfficyClient}. Required: {@link #baseUri} and either {@link #apiKey} or
     * {@link #userPassword}. Defaults: request timeout 60 s, connect timeout 10 s,
     * {@link RetryPolicy#defaults()}, 4 concurrent requests, {@link ContactSource#sql()},
     * {@link QueryParameterStyle#NAMED}, 100 look-ups per request, Acti key {@code K_ACTION}, the
     * system clock, no listener.
     */
    public static final class Builder {
        private URI endpoint;
        private String customer;
        private String apiKey;
        private String user;
        private String password;
        private boolean allowInsecureHttp;
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private int maxConcurrentRequests = 4;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private DoubleSupplier jitterSource = () -> ThreadLocalRandom.current().nextDouble();
        private EfficyListener listener = EfficyListener.NONE;
        private ContactSource contactSource = ContactSource.sql();
        private QueryParameterStyle queryParameterStyle = QueryParameterStyle.NAMED;
        private int lookupBatchSize = 500;
        private String activityKeyField = "K_ACTION";
        private HttpClient httpClient;

        private Builder() {}

        /**
         * The Efficy base URI, with or without the trailing {@code /crm}: both
         * {@code https://x.efficy.cloud} and {@code https://x.efficy.cloud/crm} give
         * {@code https://x.efficy.cloud/crm/json}.
         */
        public Builder baseUri(URI baseUri) {
            BaseUris.requireHttp(baseUri);
            String path = baseUri.getPath() == null ? "" : baseUri.getPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (path.endsWith("/json")) {
                path = path.substring(0, path.length() - "/json".length());
            }
            if (!path.endsWith("/crm")) {
                path = path + "/crm";
            }
            this.endpoint = baseUri.resolve(path + "/json");
            return this;
        }

        /** The customer (database) alias, sent as {@code X-Efficy-Customer}. Optional. */
        public Builder customer(String customer) {
            this.customer = EfficyNames.requireText("customer", customer);
            return this;
        }

        /** Authenticates with an API key ({@code X-Efficy-ApiKey}); the recommended way. */
        public Builder apiKey(String apiKey) {
            this.apiKey = EfficyNames.requireText("apiKey", apiKey);
            this.user = null;
            this.password = null;
            return this;
        }

        /** Authenticates with a user code and password ({@code X-Efficy-User}/{@code X-Efficy-Pwd}). */
        public Builder userPassword(String user, String password) {
            this.user = EfficyNames.requireText("user", user);
            this.password = EfficyNames.requireText("password", password);
            this.apiKey = null;
            return this;
        }

        /** Allows a plain {@code http://} base URI on a host other than loopback. Off by default. */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        /** Time allowed for one HTTP exchange; default 60 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Checks.positive("requestTimeout", timeout);
            return this;
        }

        /** Time allowed to connect; default 10 s. Ignored with {@link #httpClient}. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Checks.positive("connectTimeout", timeout);
            return this;
        }

        /** Retries after passing failures; default {@link RetryPolicy#defaults()}. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /** Requests in flight at once; default 4. */
        public Builder maxConcurrentRequests(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConcurrentRequests must be at least 1, was " + max);
            }
            this.maxConcurrentRequests = max;
            return this;
        }

        /** The clock for elapsed times and retry deadlines; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How the client waits between attempts; tests pass a recording sleeper. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Source of jitter in [0, 1); tests pass a constant. */
        public Builder jitterSource(DoubleSupplier source) {
            this.jitterSource = Objects.requireNonNull(source, "jitterSource");
            return this;
        }

        /** Observer of every request; default none. */
        public Builder listener(EfficyListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Where contact pages come from; default {@link ContactSource#sql()}. */
        public Builder contactSource(ContactSource source) {
            this.contactSource = Objects.requireNonNull(source, "contactSource");
            return this;
        }

        /** How {@link QueryService#rows} sends stored-query parameters; default NAMED. */
        public Builder queryParameterStyle(QueryParameterStyle style) {
            this.queryParameterStyle = Objects.requireNonNull(style, "queryParameterStyle");
            return this;
        }

        /**
         * Look-ups sent in one request by {@link ActivityService#find(String, java.util.Collection)}
         * and {@link ContactService#keysByEmail}, and contexts sent by {@link ContactService#getAll}:
         * one function or context per id, address or contact, this many per request; default 500, at
         * most 1,000. The protocol notes give no cap on a batch's size (their sources send from one to
         * a few hundred functions); lower it if a server refuses large batches.
         */
        public Builder lookupBatchSize(int size) {
            if (size < 1 || size > 1000) {
                throw new IllegalArgumentException("lookupBatchSize must be 1..1000, was " + size);
            }
            this.lookupBatchSize = size;
            return this;
        }

        /**
         * The key field of {@code Acti} rows; default {@code K_ACTION}. The notes show the table name
         * {@code ACTIONS} and the rule {@code K_<TABLE-SINGULAR>}; the field itself was not seen on a
         * real server, hence the setting.
         */
        public Builder activityKeyField(String field) {
            this.activityKeyField = EfficyNames.require("activity key field", field);
            return this;
        }

        /** Uses the given JDK client instead of building one (to share a pool across clients). */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /**
         * Builds the client.
         *
         * @throws IllegalStateException when the base URI or credentials are missing, or the base URI
         *     is plain http on a non-loopback host without {@link #allowInsecureHttp}
         */
        public EfficyClient build() {
            if (endpoint == null) {
                throw new IllegalStateException("EfficyClient needs a baseUri");
            }
            if (apiKey == null && user == null) {
                throw new IllegalStateException("EfficyClient needs an apiKey or a userPassword");
            }
            BaseUris.requireSafe(endpoint, allowInsecureHttp);
            return new EfficyClient(this);
        }
    }
}

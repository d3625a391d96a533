package io.crmsync.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Campaign;
import io.crmsync.testkit.apsis.CampaignResult;
import io.crmsync.testkit.apsis.ProfileView;
import io.crmsync.testkit.http.FaultPlan;
import io.crmsync.testkit.http.RequestJournal;
import io.crmsync.testkit.internal.admin.ApsisAdmin;
import io.crmsync.testkit.internal.apsis.ApsisService;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import io.crmsync.testkit.internal.http.EmulatorServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A stateful APSIS One emulator on 127.0.0.1 and a free port: OAuth tokens (JWT-shaped, with
 * {@code exp}), the account's data model, profiles with keys in several keyspaces, v2 attribute
 * merge-patch, consent 2.0 with a history that keeps the address of each change, tags, events,
 * merges, v2 CSV imports with an upload URL the emulator serves itself, the email event export as
 * gzip CSV, and a campaign simulator that produces the events. Rate limits, the 100 kB body limit
 * and problem+json errors follow the documentation ({@link ApsisLimits#documented()}).
 *
 * <p>The data model is {@link io.crmsync.testkit.apsis.Definitions}: section
 * {@code com.apsis1.sections.default}, keyspaces crm-id, email and mobile, channels email and
 * sms, default and custom attributes, three topics, a tag and an event type.
 *
 * <p>Defaults: client id {@code test-client}, secret {@code test-secret}, tokens valid one hour.
 * Thread-safe.
 *
 * <p>One server can serve many accounts, as APSIS One does: {@link #addAccount} adds one with its
 * own client id, secret, data and rate limits. A request belongs to the account whose client id
 * its token request names, whose token it carries, or whose upload or download id it uses; so
 * data never crosses between accounts.
 *
 * <pre>{@code
 * try (ApsisEmulator apsis = ApsisEmulator.start()) {
 *   URI base = apsis.baseUri(); // point an ApsisClient here
 * }
 * }</pre>
 */
public final class ApsisEmulator implements AutoCloseable {

    /** The default client id. */
    public static final String DEFAULT_CLIENT_ID = "test-client";
    /** The default client secret. */
    public static final String DEFAULT_CLIENT_SECRET = "test-secret";

    private static final Pattern TOKEN_CLIENT = Pattern.compile("\"client_id\"\\s*:\\s*\"([^\"]+)\"");

    private final ApsisService service;
    private final EmulatorServer server;
    private final String clientId;
    private final String clientSecret;
    private final Builder settings;
    /** Every account on this server, the first one first; shared by the owner and its views. */
    private final List<ApsisEmulator> accounts;

    private final ApsisEmulator owner;
    /** The owner's index of accounts by client id, and of bearer tokens seen to the account that issued them. */
    private final Map<String, ApsisEmulator> byClientId;

    private final Map<String, ApsisEmulator> byToken;
    private volatile String onDemandPrefix;

    private ApsisEmulator(Builder b) throws IOException {
        ObjectMapper mapper = JsonMapper.builder().build();
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.settings = b;
        this.owner = this;
        this.accounts = new CopyOnWriteArrayList<>();
        this.byClientId = new ConcurrentHashMap<>();
        this.byToken = new ConcurrentHashMap<>();
        this.service = new ApsisService(mapper, b.clock, b.clientId, b.clientSecret, b.tokenLifetime, b.limits);
        accounts.add(this);
        byClientId.put(clientId, this);
        this.server = new EmulatorServer(
                b.port,
                64 * 1024 * 1024,
                b.clock,
                this::route,
                EmulatorResponse.json(413, "{\"title\":\"Payload Too Large\",\"status\":413}", "413"));
        service.baseUri(server::baseUri);
    }

    private ApsisEmulator(ApsisEmulator owner, String clientId, String clientSecret) {
        Builder b = owner.settings;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.settings = b;
        this.owner = owner;
        this.accounts = owner.accounts;
        this.byClientId = owner.byClientId;
        this.byToken = owner.byToken;
        this.server = owner.server;
        this.service = new ApsisService(
                JsonMapper.builder().build(), b.clock, clientId, clientSecret, b.tokenLifetime, b.limits);
        service.baseUri(server::baseUri);
    }

    /**
     * Adds an account to this server, with its own client id and secret, an empty set of profiles
     * and its own rate limits (the builder's), and returns its view: the same methods as this
     * emulator, on that account's data. Closing the view removes the account.
     *
     * <pre>{@code
     * ApsisEmulator acme = apsis.addAccount("acme-client", "acme-secret");
     * }</pre>
     *
     * @throws IllegalArgumentException when the client id is blank or served already
     */
    public ApsisEmulator addAccount(String clientId, String clientSecret) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("client id must not be blank");
        }
        synchronized (accounts) {
            if (accounts.stream().anyMatch(a -> a.clientId.equals(clientId))) {
                throw new IllegalArgumentException("account '" + clientId + "' is served already");
            }
            ApsisEmulator view = new ApsisEmulator(owner, clientId, clientSecret);
            accounts.add(view);
            byClientId.put(clientId, view);
            return view;
        }
    }

    /**
     * Serves any client id that starts with {@code prefix} as an account of its own, made on its
     * first token request, with the secret {@code <clientId>-secret} and no profiles: thousands of
     * accounts for a scale benchmark cost nothing until each is used. Returns this emulator.
     */
    public ApsisEmulator accountsOnDemand(String prefix) {
        owner.onDemandPrefix = Objects.requireNonNull(prefix, "prefix");
        return this;
    }

    /** The account a request belongs to, from the indexes; null when only a scan can tell. */
    private ApsisEmulator indexed(EmulatorRequest request) {
        String header = request.header("authorization").orElse("");
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return byToken.get(header.substring(7).trim());
        }
        if (request.method().equals("POST") && request.path().endsWith("/oauth/token")) {
            String id = TOKEN_CLIENT
                    .matcher(new String(request.body(), StandardCharsets.UTF_8))
                    .results()
                    .map(m -> m.group(1))
                    .findFirst()
                    .orElse(null);
            String prefix = owner.onDemandPrefix;
            if (id != null && prefix != null && id.startsWith(prefix) && !byClientId.containsKey(id)) {
                try {
                    addAccount(id, id + "-secret");
                } catch (IllegalArgumentException raced) {
                    // another request made it first
                }
            }
            return id == null ? null : byClientId.get(id);
        }
        return null;
    }

    /** Routes a request to the account it belongs to; unclaimed ones go to the first, which refuses them. */
    private EmulatorResponse route(EmulatorRequest request) {
        ApsisEmulator known = accounts.size() > 1 || owner.onDemandPrefix != null ? indexed(request) : null;
        if (known != null) {
            return known.service.handle(request);
        }
        if (request.path().startsWith("/_admin/")) {
            return ApsisAdmin.handle(
                    request,
                    accounts.stream()
                            .map(a -> new ApsisAdmin.Account(a.clientId, a.service))
                            .toList());
        }
        if (accounts.size() > 1) {
            for (ApsisEmulator a : accounts) {
                if (a.service.owns(request)) {
                    request.header("authorization")
                            .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7) && byToken.size() < 1_000_000)
                            .ifPresent(h -> byToken.put(h.substring(7).trim(), a));
                    return a.service.handle(request);
                }
            }
        }
        return owner.service.handle(request);
    }

    /** Starts an emulator with the defaults on a free port. */
    public static ApsisEmulator start() {
        return builder().start();
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return server.baseUri();
    }

    /** The accepted client id. */
    public String clientId() {
        return clientId;
    }

    /** The accepted client secret. */
    public String clientSecret() {
        return clientSecret;
    }

    /** The request journal; routes are templates such as {@code PATCH /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes}. */
    public RequestJournal journal() {
        return server.journal();
    }

    /** Planned faults. */
    public FaultPlan faults() {
        return server.faults();
    }

    /** Replaces the enforced limits. */
    public void limits(ApsisLimits limits) {
        service.limits(limits);
    }

    /** The lifetime of tokens issued from now on. */
    public void tokenLifetime(Duration lifetime) {
        service.tokenLifetime(lifetime);
    }

    /** Forgets every issued token (the next call with one gets 401). */
    public void revokeTokens() {
        service.revokeTokens();
    }

    /** A snapshot of the profile with this key, if any. */
    public Optional<ProfileView> profile(String keyspace, String key) {
        return service.view(keyspace, key);
    }

    /** Number of profiles. */
    public int profileCount() {
        return service.profileCount();
    }

    /**
     * Imports not yet completed or failed: waiting for their file, queued or in progress. They count
     * against the account's limit of pending imports.
     */
    public int pendingImports() {
        return service.pendingImports();
    }

    /** Simulates a sendout and makes its events available to the export. */
    public CampaignResult simulateCampaign(Campaign campaign) {
        return service.simulate(campaign);
    }

    /** Adds a tag definition to the account. */
    public void addTag(String discriminator, String name) {
        service.addTag(discriminator, name);
    }

    /** The events a profile has, as posted. */
    public List<JsonNode> events(String keyspace, String key) {
        return service.events(keyspace, key);
    }

    /**
     * Closes this account. Closing the emulator that started the server stops the server; closing a
     * view from {@link #addAccount} removes that account only.
     */
    @Override
    public void close() {
        if (owner == this) {
            server.close();
        } else {
            accounts.remove(this);
            byClientId.remove(clientId, this);
            byToken.values().removeIf(a -> a == this);
        }
    }

    /** Builds an {@link ApsisEmulator}. */
    public static final class Builder {
        private int port;
        private String clientId = DEFAULT_CLIENT_ID;
        private String clientSecret = DEFAULT_CLIENT_SECRET;
        private Duration tokenLifetime = Duration.ofHours(1);
        private ApsisLimits limits = ApsisLimits.documented();
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

        /** Accepted credentials. */
        public Builder credentials(String id, String secret) {
            this.clientId = Objects.requireNonNull(id, "id");
            this.clientSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** Token lifetime; default one hour. */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /** Enforced limits; default the documented ones. */
        public Builder limits(ApsisLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The clock for tokens, limits and event times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Starts the emulator. */
        public ApsisEmulator start() {
            try {
                return new ApsisEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the APSIS emulator", e);
            }
        }
    }
}

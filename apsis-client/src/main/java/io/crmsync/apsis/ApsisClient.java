package io.crmsync.apsis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.apsis.internal.ApsisJson;
import io.crmsync.apsis.internal.ImportFiles;
import io.crmsync.client.BaseUris;
import io.crmsync.client.Checks;
import io.crmsync.client.RetryPolicy;
import io.crmsync.client.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Typed client for the APSIS One REST API.
 *
 * <p>Build one per APSIS account and share it: the client is immutable and thread-safe, holds one
 * {@link HttpClient} (its connection pool), one cached OAuth2 token and one rate limiter, so every
 * thread using it together stays within APSIS's limits (100 requests/s per account, 10/s per
 * profile key, 10 token requests/minute, 10 imports/minute, 3 imports in flight).
 *
 * <p>The API is grouped by concern: {@link #definitions()}, {@link #profiles()},
 * {@link #consents()}, {@link #imports()} and {@link #emailEvents()}.
 *
 * <p>Authentication: {@code POST /oauth/token} with a JSON body, the token cached until shortly
 * before its JWT {@code exp} (falling back to {@code expires_in}); concurrent callers share one
 * refresh; a 401, or a 403 that speaks of an expired token, drops the token and retries once.
 *
 * <p>Throttling (429) is waited out (honouring {@code Retry-After} as seconds or an HTTP date,
 * else exponential backoff) without using the {@link RetryPolicy}; I/O errors, 408 and 5xx are
 * retried for idempotent requests only.
 *
 * <p>The client secret and tokens never appear in logs, exceptions or {@code toString()}; profile
 * keys (often e-mail addresses) are shown as {@code ***} in paths.
 *
 * <pre>{@code
 * ApsisClient apsis = ApsisClient.builder()
 *     .region(Region.EU)
 *     .clientId(System.getenv("APSIS_CLIENT_ID"))
 *     .clientSecret(System.getenv("APSIS_CLIENT_SECRET"))
 *     .build();
 * ProfileKey key = ProfileKey.crmId("12345");
 * apsis.profiles().create(key, "com.apsis1.sections.default");
 * }</pre>
 */
public final class ApsisClient {

    private final URI baseUri;
    private final String clientId;
    private final DefinitionService definitions;
    private final ProfileService profiles;
    private final ConsentService consents;
    private final ImportService imports;
    private final EmailEventService emailEvents;

    private ApsisClient(Builder b) {
        this.baseUri = b.baseUri;
        this.clientId = b.clientId;
        ObjectMapper mapper = ApsisJson.newMapper();
        HttpClient http = b.httpClient != null
                ? b.httpClient
                : HttpClient.newBuilder()
                        .connectTimeout(b.connectTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        ApsisTransport transport = new ApsisTransport(
                b.baseUri,
                http,
                mapper,
                b.clock,
                b.sleeper,
                b.jitterSource,
                b.retryPolicy,
                b.requestTimeout,
                b.maxThrottleWait,
                b.rateLimits,
                b.accountBudget,
                b.clientId,
                b.listener);
        transport.tokens(
                new TokenProvider(transport, mapper, b.clock, b.clientId, b.clientSecret, b.tokenRefreshAhead));
        this.definitions = new DefinitionService(transport, mapper);
        this.profiles = new ProfileService(transport, mapper);
        this.consents = new ConsentService(transport, mapper);
        this.imports = new ImportService(
                transport,
                mapper,
                b.clock,
                b.sleeper,
                b.rateLimits.importsInFlight(),
                b.importMaxFileBytes,
                b.importPollInterval,
                b.importTimeout,
                b.importDirectory,
                b.allowInsecureHttp);
        this.emailEvents = new EmailEventService(
                transport, mapper, b.clock, b.sleeper, b.reportPollInterval, b.reportTimeout, b.allowInsecureHttp);
    }

    /** Starts a builder; client id and secret are required, the region defaults to EU. */
    public static Builder builder() {
        return new Builder();
    }

    /** The API base URI. */
    public URI baseUri() {
        return baseUri;
    }

    /** Sections, keyspaces, channels, attributes, tags, events and topics (cached). */
    public DefinitionService definitions() {
        return definitions;
    }

    /** Profiles: create, attributes, tags, events, delete, merge. */
    public ProfileService profiles() {
        return profiles;
    }

    /** Consent 2.0. */
    public ConsentService consents() {
        return consents;
    }

    /** v2 CSV imports. */
    public ImportService imports() {
        return imports;
    }

    /** The email event export. */
    public EmailEventService emailEvents() {
        return emailEvents;
    }

    @Override
    public String toString() {
        return "ApsisClient{baseUri=" + baseUri + ", clientId=" + clientId + ", secret=(redacted)}";
    }

    /**
     * Builds an {@link ApsisClient}. Defaults: region EU, request timeout 30 s, connect timeout 10 s,
     * {@link RetryPolicy#defaults()}, {@link RateLimits#defaults()}, token renewed 5 minutes before
     * expiry, throttling waited out for at most 10 minutes per request, import files below 49 MB
     * polled from every 2 s (for at most 6 h), email reports polled from every 5 s (for at most 1 h),
     * the UTC system clock, no listener.
     */
    public static final class Builder {
        private URI baseUri = Region.EU.baseUri();
        private String clientId;
        private String clientSecret;
        private boolean allowInsecureHttp;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private RateLimits rateLimits = RateLimits.defaults();
        private AccountBudget accountBudget = AccountBudget.unshared();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private DoubleSupplier jitterSource = () -> ThreadLocalRandom.current().nextDouble();
        private ApsisListener listener = ApsisListener.NONE;
        private HttpClient httpClient;
        private Duration tokenRefreshAhead = Duration.ofMinutes(5);
        private Duration maxThrottleWait = Duration.ofMinutes(10);
        private long importMaxFileBytes = 49L * 1000 * 1000;
        private Duration importPollInterval = Duration.ofSeconds(2);
        private Duration importTimeout = Duration.ofHours(6);
        private Path importDirectory = ImportFiles.defaultDirectory();
        private Duration reportPollInterval = Duration.ofSeconds(5);
        private Duration reportTimeout = Duration.ofHours(1);

        private Builder() {}

        /** The region; default EU. */
        public Builder region(Region region) {
            this.baseUri = Objects.requireNonNull(region, "region").baseUri();
            return this;
        }

        /** A base URI instead of a region (an emulator, a proxy). */
        public Builder baseUri(URI baseUri) {
            this.baseUri = BaseUris.requireHttp(baseUri);
            return this;
        }

        /** The API key's client id. */
        public Builder clientId(String clientId) {
            this.clientId = Checks.nonBlank("clientId", clientId);
            return this;
        }

        /** The API key's client secret. */
        public Builder clientSecret(String clientSecret) {
            this.clientSecret = Checks.nonBlank("clientSecret", clientSecret);
            return this;
        }

        /** Allows plain http to a non-loopback host. Off by default. */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        /** Time allowed for one exchange; default 30 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Checks.positive("requestTimeout", timeout);
            return this;
        }

        /** Time allowed to connect; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Checks.positive("connectTimeout", timeout);
            return this;
        }

        /** Retries after passing failures. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /** Client-side rate limits. */
        public Builder rateLimits(RateLimits limits) {
            this.rateLimits = Objects.requireNonNull(limits, "rateLimits");
            return this;
        }

        /**
         * A budget for the account shared with clients in other processes (default
         * {@link AccountBudget#unshared()}); asked before every request besides {@link #rateLimits}.
         */
        public Builder accountBudget(AccountBudget budget) {
            this.accountBudget = Objects.requireNonNull(budget, "accountBudget");
            return this;
        }

        /** The clock for token expiry, deadlines and limits. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How the client waits (rate limits, throttling, backoff, polling). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Source of jitter in [0, 1). */
        public Builder jitterSource(DoubleSupplier source) {
            this.jitterSource = Objects.requireNonNull(source, "jitterSource");
            return this;
        }

        /** Observer of every request. */
        public Builder listener(ApsisListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Uses the given JDK client instead of building one. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** How long before expiry the token is renewed; default 5 minutes. */
        public Builder tokenRefreshAhead(Duration ahead) {
            this.tokenRefreshAhead = Checks.positive("tokenRefreshAhead", ahead);
            return this;
        }

        /** The most one request waits out 429s before failing; default 10 minutes. */
        public Builder maxThrottleWait(Duration max) {
            this.maxThrottleWait = Checks.positive("maxThrottleWait", max);
            return this;
        }

        /** Size limit of one import file; default 49 MB (APSIS allows 50 MB). */
        public Builder importMaxFileBytes(long bytes) {
            if (bytes < 1024 || bytes > 50L * 1000 * 1000) {
                throw new IllegalArgumentException("importMaxFileBytes must be between 1 KiB and 50 MB, was " + bytes);
            }
            this.importMaxFileBytes = bytes;
            return this;
        }

        /** First interval between import status polls (doubling up to a minute); default 2 s. */
        public Builder importPollInterval(Duration interval) {
            this.importPollInterval = Checks.positive("importPollInterval", interval);
            return this;
        }

        /** How long to wait for one import to finish; default 6 h. */
        public Builder importTimeout(Duration timeout) {
            this.importTimeout = Checks.positive("importTimeout", timeout);
            return this;
        }

        /**
         * Where import files are written: they hold personal data, so the directory is created
         * readable by its owner only and each file is deleted once its upload ends. Give each engine
         * (each Efficy/APSIS pair) a directory of its own: a full sync deletes the files it finds there
         * at its start, as left by a killed process. Default
         * {@code <java.io.tmpdir>/crmsync-imports-<user>}.
         */
        public Builder importDirectory(Path directory) {
            this.importDirectory = Objects.requireNonNull(directory, "importDirectory");
            return this;
        }

        /** First interval between email report polls (doubling up to 30 s); default 5 s. */
        public Builder reportPollInterval(Duration interval) {
            this.reportPollInterval = Checks.positive("reportPollInterval", interval);
            return this;
        }

        /** How long to wait for an email report; default 1 h. */
        public Builder reportTimeout(Duration timeout) {
            this.reportTimeout = Checks.positive("reportTimeout", timeout);
            return this;
        }

        /**
         * Builds the client.
         *
         * @throws IllegalStateException when credentials are missing or the base URI is plain http to
         *     a non-loopback host without {@link #allowInsecureHttp}
         */
        public ApsisClient build() {
            if (clientId == null || clientSecret == null) {
                throw new IllegalStateException("ApsisClient needs a clientId and a clientSecret");
            }
            BaseUris.requireSafe(baseUri, allowInsecureHttp);
            return new ApsisClient(this);
        }
    }
}

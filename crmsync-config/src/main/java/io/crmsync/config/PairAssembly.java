package io.crmsync.config;

import static io.crmsync.config.keys.HostKeys.STATE_JDBC_URL;
import static io.crmsync.config.keys.HostKeys.STATE_MIGRATE;
import static io.crmsync.config.keys.HostKeys.STATE_PASSWORD;
import static io.crmsync.config.keys.HostKeys.STATE_USER;
import static io.crmsync.config.keys.PairKeys.APSIS_BASE_URL;
import static io.crmsync.config.keys.PairKeys.APSIS_CLIENT_ID;
import static io.crmsync.config.keys.PairKeys.APSIS_CLIENT_SECRET;
import static io.crmsync.config.keys.PairKeys.APSIS_IMPORT_DIRECTORY;
import static io.crmsync.config.keys.PairKeys.APSIS_INSECURE;
import static io.crmsync.config.keys.PairKeys.APSIS_KEYSPACE;
import static io.crmsync.config.keys.PairKeys.APSIS_REGION;
import static io.crmsync.config.keys.PairKeys.APSIS_SECTION;
import static io.crmsync.config.keys.PairKeys.EFFICY_API_KEY;
import static io.crmsync.config.keys.PairKeys.EFFICY_CUSTOMER;
import static io.crmsync.config.keys.PairKeys.EFFICY_INSECURE;
import static io.crmsync.config.keys.PairKeys.EFFICY_PASSWORD;
import static io.crmsync.config.keys.PairKeys.EFFICY_TIME_ZONE;
import static io.crmsync.config.keys.PairKeys.EFFICY_URL;
import static io.crmsync.config.keys.PairKeys.EFFICY_USER;
import static io.crmsync.config.keys.PairKeys.REVERSE_FIRST_LOOKBACK;
import static io.crmsync.config.keys.PairKeys.REVERSE_WINDOW;
import static io.crmsync.config.keys.PairKeys.SYNC_CLOCK_SKEW;
import static io.crmsync.config.keys.PairKeys.SYNC_CONCURRENCY;
import static io.crmsync.config.keys.PairKeys.SYNC_DELETED_CONTACT;
import static io.crmsync.config.keys.PairKeys.SYNC_STOP_MATCHING;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.ApsisListener;
import io.crmsync.client.BaseUris;
import io.crmsync.config.keys.ConfigKey;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.EfficyListener;
import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.QueryTagMapping;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.state.StateStore;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import java.net.URI;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * What a {@link CrmsyncConfig} builds: the two clients, the state store and the engine's builder.
 * The engine's policies (consents, conditions, responses, the task webhook) are read by
 * {@link EngineOptions}. Package-private.
 */
final class PairAssembly {

    private final CrmsyncConfig config;

    PairAssembly(CrmsyncConfig config) {
        this.config = config;
    }

    EfficyClient efficy(EfficyListener listener) {
        try {
            return efficyBuilder(listener).build();
        } catch (IllegalStateException e) {
            throw new ConfigException(EFFICY_URL.name(), e.getMessage());
        }
    }

    EfficyClient.Builder efficyBuilder(EfficyListener listener) {
        URI url = safeUri(EFFICY_URL, EFFICY_INSECURE, config.require(EFFICY_URL));
        EfficyClient.Builder b;
        try {
            b = EfficyClient.builder().baseUri(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(EFFICY_URL.name(), e.getMessage());
        }
        String customer = config.get(EFFICY_CUSTOMER);
        if (customer != null) {
            b.customer(customer);
        }
        String apiKey = config.get(EFFICY_API_KEY);
        if (apiKey != null) {
            b.apiKey(apiKey);
        } else if (config.get(EFFICY_USER) != null) {
            b.userPassword(config.require(EFFICY_USER), config.require(EFFICY_PASSWORD));
        } else {
            throw new ConfigException(EFFICY_API_KEY.name(), "is required (or efficy.user and efficy.password)");
        }
        b.allowInsecureHttp(config.get(EFFICY_INSECURE));
        b.listener(listener);
        return b;
    }

    ApsisClient apsis(ApsisListener listener) {
        try {
            return apsisBuilder(listener).build();
        } catch (IllegalStateException e) {
            throw new ConfigException(APSIS_BASE_URL.name(), e.getMessage());
        }
    }

    ApsisClient.Builder apsisBuilder(ApsisListener listener) {
        ApsisClient.Builder b = ApsisClient.builder();
        String base = config.get(APSIS_BASE_URL);
        if (base != null) {
            URI uri = safeUri(APSIS_BASE_URL, APSIS_INSECURE, base);
            try {
                b.baseUri(uri);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(APSIS_BASE_URL.name(), e.getMessage());
            }
        } else {
            b.region(config.get(APSIS_REGION));
        }
        b.clientId(config.require(APSIS_CLIENT_ID)).clientSecret(config.require(APSIS_CLIENT_SECRET));
        b.allowInsecureHttp(config.get(APSIS_INSECURE));
        b.listener(listener);
        Path imports = config.get(APSIS_IMPORT_DIRECTORY);
        if (imports != null) {
            b.importDirectory(imports);
        }
        return b;
    }

    /**
     * A base URL that is absolute http(s), and https beyond loopback unless the insecure key says
     * otherwise; the refusal names both keys, never the host.
     */
    private URI safeUri(ConfigKey<String> key, ConfigKey<Boolean> insecure, String text) {
        URI uri;
        try {
            uri = BaseUris.requireHttp(URI.create(text.trim()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.name(), "is not an absolute http(s) URL");
        }
        try {
            BaseUris.requireSafe(uri, config.get(insecure));
        } catch (IllegalStateException e) {
            throw new ConfigException(
                    key.name(),
                    "plain http:// is refused beyond 127.0.0.1 and localhost; use https, or set " + insecure.name()
                            + "=true");
        }
        return uri;
    }

    StateStore stateStore(DataSource dataSource) {
        try {
            return JdbcStateStore.builder()
                    .dataSource(dataSource)
                    .migrate(config.get(STATE_MIGRATE))
                    .build();
        } catch (RuntimeException e) {
            throw new StateStoreUnavailableException(
                    "the state store cannot be opened on the application's data source: " + e.getMessage(), e);
        }
    }

    StateStore stateStore() {
        String url = config.get(STATE_JDBC_URL);
        if (!url.startsWith("jdbc:")) {
            throw new ConfigException(
                    STATE_JDBC_URL.name(), "is not a JDBC URL (jdbc:h2:file:... or jdbc:postgresql://...)");
        }
        try {
            String user = config.get(STATE_USER);
            String password = config.get(STATE_PASSWORD);
            return user == null
                    ? JdbcStateStore.create(url)
                    : JdbcStateStore.create(url, user, password == null ? "" : password);
        } catch (RuntimeException e) {
            throw new StateStoreUnavailableException(
                    "the state store at " + STATE_JDBC_URL.name() + " cannot be opened: "
                            + CrmsyncConfig.maskUrlSecrets(e.getMessage()),
                    e);
        }
    }

    SyncEngine.Builder engineBuilder(EfficyClient efficy, ApsisClient apsis, StateStore store, SyncListener listener) {
        SyncEngine.Builder b = SyncEngine.builder()
                .efficy(efficy)
                .apsis(apsis)
                .stateStore(store)
                .listener(listener)
                .section(config.require(APSIS_SECTION))
                .keyspace(config.get(APSIS_KEYSPACE))
                .stopMatching(config.get(SYNC_STOP_MATCHING))
                .deletedContact(config.get(SYNC_DELETED_CONTACT))
                .concurrency(config.get(SYNC_CONCURRENCY))
                .clockSkew(config.get(SYNC_CLOCK_SKEW))
                .efficyTimeZone(config.get(EFFICY_TIME_ZONE))
                .reverseWindows(config.get(REVERSE_WINDOW), config.get(REVERSE_FIRST_LOOKBACK));
        EngineOptions options = new EngineOptions(config);
        b.mapping(options.mapping());
        b.consentPolicy(ConsentPolicy.of(options.consents().toArray(new ConsentMapping[0])));
        b.condition(options.condition());
        for (QueryTagMapping q : options.queries()) {
            b.query(q);
        }
        b.responseMapping(options.responses());
        options.taskWebhook().ifPresent(b::taskWebhook);
        return b;
    }
}

package io.crmsync.spring;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.ApsisListener;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.jobs.JobCatalog;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.config.webhook.EngineWebhookTarget;
import io.crmsync.config.webhook.InFlightBytes;
import io.crmsync.config.webhook.WebhookCredentials;
import io.crmsync.config.webhook.WebhookGate;
import io.crmsync.console.Console;
import io.crmsync.console.pair.ApsisActivity;
import io.crmsync.console.pair.PairConsoleBackend;
import io.crmsync.console.setup.SetupTarget;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.EfficyListener;
import io.crmsync.micrometer.CrmsyncMetrics;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Auto-configures crmsync from the {@code crmsync.*} properties, the same keys as the CLI's
 * ({@code docs/CONFIGURATION.md}, in Spring's kebab-case): the {@link EfficyClient}, the
 * {@link ApsisClient}, the {@link StateStore} (on the application's {@link DataSource} when there
 * is one, else at {@code crmsync.state.jdbc-url}) and the {@link SyncEngine}; the jobs of the
 * {@link JobCatalog} on schedules ({@link CrmsyncJobs}: a full sync first on an empty store, polls
 * every minute, reverse sync and query tags when configured); the webhook endpoints when
 * {@code crmsync.webhooks.enabled}, through the same {@link WebhookGate} as {@code serve} and the
 * cluster; an actuator {@code HealthIndicator} (bean {@code crmsyncHealthIndicator}) and the
 * endpoint {@code crmsync} ({@link CrmsyncEndpoint}: job status, start a full sync) when the
 * actuator is present; and the Micrometer meters when the application has a
 * {@link MeterRegistry}. Each bean backs off when the application defines its own.
 * {@code crmsync.enabled=false} turns it all off; an unknown {@code crmsync.*} key is logged with
 * the nearest known one, or fails the start with {@code crmsync.strict=true}.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "crmsync", name = "enabled", matchIfMissing = true)
public class CrmsyncAutoConfiguration {

    /** The flat configuration, read from the environment as the CLI reads its file. */
    @Bean
    @ConditionalOnMissingBean
    public CrmsyncConfig crmsyncConfig(ConfigurableEnvironment environment) {
        return EnvironmentKeys.config(environment);
    }

    /** The meters, when the application has a registry. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnClass(MeterRegistry.class)
    public CrmsyncMetricsHolder crmsyncMetrics(ObjectProvider<MeterRegistry> registry) {
        return new CrmsyncMetricsHolder(Optional.ofNullable(registry.getIfAvailable())
                .map(CrmsyncMetrics::of)
                .orElse(null));
    }

    /** The Efficy client. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EfficyClient efficyClient(CrmsyncConfig config, ObjectProvider<CrmsyncMetricsHolder> metrics) {
        return config.efficy(
                metrics(metrics).map(CrmsyncMetrics::efficyListener).orElse(EfficyListener.NONE));
    }

    /** The APSIS client. */
    @Bean
    @ConditionalOnMissingBean
    public ApsisClient apsisClient(
            CrmsyncConfig config, ObjectProvider<CrmsyncMetricsHolder> metrics, ApsisActivity activity) {
        return config.apsis(activity.andThen(
                metrics(metrics).map(CrmsyncMetrics::apsisListener).orElse(ApsisListener.NONE)));
    }

    /** What the APSIS client did in the last minute, for the console's overview. */
    @Bean
    @ConditionalOnMissingBean
    public ApsisActivity crmsyncApsisActivity() {
        return new ApsisActivity();
    }

    /** The state store: on the application's DataSource when it has one. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public StateStore crmsyncStateStore(CrmsyncConfig config, ObjectProvider<DataSource> dataSource) {
        DataSource ds = dataSource.getIfUnique();
        return ds != null ? config.stateStore(ds) : config.stateStore();
    }

    /** The engine. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public SyncEngine syncEngine(
            CrmsyncConfig config,
            EfficyClient efficy,
            ApsisClient apsis,
            StateStore store,
            ObjectProvider<CrmsyncMetricsHolder> metrics,
            ObjectProvider<SyncListener> listeners) {
        Optional<CrmsyncMetrics> m = metrics(metrics);
        List<SyncListener> all = new ArrayList<>(listeners.orderedStream().toList());
        m.ifPresent(x -> all.add(x.syncListener()));
        SyncEngine engine =
                config.engine(efficy, apsis, store, SyncListener.composite(all.toArray(new SyncListener[0])));
        m.ifPresent(x -> x.bindStateStore(store));
        return engine;
    }

    private static Optional<CrmsyncMetrics> metrics(ObjectProvider<CrmsyncMetricsHolder> holder) {
        return Optional.ofNullable(holder.getIfAvailable()).map(CrmsyncMetricsHolder::metrics);
    }

    /** Which jobs run, how often, and what runs first. */
    @Bean
    @ConditionalOnMissingBean
    public JobCatalog crmsyncJobCatalog(CrmsyncConfig config) {
        return JobCatalog.of(config);
    }

    /** The jobs on schedules, started with the context; a full sync on request. */
    @Bean
    @ConditionalOnMissingBean
    public CrmsyncJobs crmsyncJobs(SyncEngine engine, JobCatalog catalog) {
        return new CrmsyncJobs(engine, catalog);
    }

    /** The actuator health, when Spring Boot's health module is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "crmsyncHealthIndicator")
        CrmsyncHealthIndicator crmsyncHealthIndicator(SyncEngine engine, JobCatalog catalog, CrmsyncConfig config) {
            return new CrmsyncHealthIndicator(engine, catalog.jobs(), config.get(HostKeys.HEALTH_CACHE));
        }
    }

    /** The actuator endpoint {@code crmsync}, when the actuator is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class Endpoint {
        @Bean
        @ConditionalOnMissingBean
        CrmsyncEndpoint crmsyncEndpoint(CrmsyncJobs jobs) {
            return new CrmsyncEndpoint(jobs);
        }
    }

    /** The console under {@code crmsync.console.path}, when {@code crmsync.console.token} is set in a servlet web application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.bind.annotation.RestController")
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnExpression("'${crmsync.console.token:}' != '' and '${crmsync.console.enabled:true}' == 'true'")
    static class ConsoleMount {
        @Bean
        @ConditionalOnMissingBean
        CrmsyncConsoleController crmsyncConsoleController(
                CrmsyncConfig config, SyncEngine engine, CrmsyncJobs jobs, ApsisActivity activity) {
            PairConsoleBackend backend = new PairConsoleBackend(
                    "Spring application",
                    activity,
                    SetupTarget.unavailable("the application's configuration sets up crmsync (crmsync.* properties)"));
            backend.attach(engine, jobs::scheduler);
            return new CrmsyncConsoleController(Console.configured(config, backend)
                    .orElseThrow(() -> new IllegalStateException("crmsync.console.token is not set")));
        }
    }

    /** The webhook endpoints, when enabled in a servlet web application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.bind.annotation.RestController")
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnProperty(prefix = "crmsync.webhooks", name = "enabled", havingValue = "true")
    static class Webhooks {
        @Bean
        @ConditionalOnMissingBean
        CrmsyncWebhookController crmsyncWebhookController(SyncEngine engine, CrmsyncConfig config) {
            return new CrmsyncWebhookController(new WebhookGate(
                    WebhookCredentials.from(config), new EngineWebhookTarget(engine), InFlightBytes.defaults()));
        }
    }
}

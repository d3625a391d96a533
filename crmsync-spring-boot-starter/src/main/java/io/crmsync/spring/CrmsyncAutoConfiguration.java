package io.crmsync.spring;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.ApsisListener;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.EfficyListener;
import io.crmsync.micrometer.CrmsyncMetrics;
import io.crmsync.sync.state.StateStore;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Auto-configures crmsync from the {@code crmsync.*} properties ({@link CrmsyncProperties}): the
 * {@link EfficyClient}, the {@link ApsisClient}, the {@link StateStore} (on the application's
 * {@link DataSource} when there is one, else at {@code crmsync.state.jdbc-url}) and the
 * {@link SyncEngine}; the scheduled poll and reverse sync when {@code crmsync.schedule.*} sets an
 * interval; the webhook endpoints when {@code crmsync.webhooks.enabled}; an actuator
 * {@code HealthIndicator} (bean {@code crmsyncHealthIndicator}) when Spring Boot's health module is
 * present; and the Micrometer meters when the application has a {@link MeterRegistry}. Each bean
 * backs off when the application defines its own. {@code crmsync.enabled=false} turns it all off.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "crmsync", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(CrmsyncProperties.class)
public class CrmsyncAutoConfiguration {

  /** The flat configuration, read from the environment as the CLI reads its file. */
  @Bean
  @ConditionalOnMissingBean
  public CrmsyncConfig crmsyncConfig(ConfigurableEnvironment environment) {
    Properties flat = EnvironmentKeys.of(environment);
    return new CrmsyncConfig(flat, System.getenv(), Map.of(), new Properties());
  }

  /** The meters, when the application has a registry. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnClass(MeterRegistry.class)
  public CrmsyncMetricsHolder crmsyncMetrics(ObjectProvider<MeterRegistry> registry) {
    return new CrmsyncMetricsHolder(Optional.ofNullable(registry.getIfAvailable()).map(CrmsyncMetrics::of).orElse(null));
  }

  /** The Efficy client. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public EfficyClient efficyClient(CrmsyncConfig config, ObjectProvider<CrmsyncMetricsHolder> metrics) {
    return config.efficy(metrics(metrics).map(CrmsyncMetrics::efficyListener).orElse(EfficyListener.NONE));
  }

  /** The APSIS client. */
  @Bean
  @ConditionalOnMissingBean
  public ApsisClient apsisClient(CrmsyncConfig config, ObjectProvider<CrmsyncMetricsHolder> metrics) {
    return config.apsis(metrics(metrics).map(CrmsyncMetrics::apsisListener).orElse(ApsisListener.NONE));
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
  public SyncEngine syncEngine(CrmsyncConfig config, EfficyClient efficy, ApsisClient apsis, StateStore store,
      ObjectProvider<CrmsyncMetricsHolder> metrics, ObjectProvider<SyncListener> listeners) {
    Optional<CrmsyncMetrics> m = metrics(metrics);
    java.util.List<SyncListener> all = new java.util.ArrayList<>(listeners.orderedStream().toList());
    m.ifPresent(x -> all.add(x.syncListener()));
    SyncEngine engine = config.engine(efficy, apsis, store, SyncListener.composite(all.toArray(new SyncListener[0])));
    m.ifPresent(x -> x.bindStateStore(store));
    return engine;
  }

  private static Optional<CrmsyncMetrics> metrics(ObjectProvider<CrmsyncMetricsHolder> holder) {
    return Optional.ofNullable(holder.getIfAvailable()).map(CrmsyncMetricsHolder::metrics);
  }

  /** The scheduled runs: a job runs only when its interval is set. */
  @Bean
  @ConditionalOnMissingBean
  public CrmsyncSchedules crmsyncSchedules(SyncEngine engine, CrmsyncProperties properties) {
    return new CrmsyncSchedules(engine, properties.getSchedule().getPollInterval(),
        properties.getSchedule().getReverseInterval());
  }

  /** The actuator health, when Spring Boot's health module is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "crmsyncHealthIndicator")
    CrmsyncHealthIndicator crmsyncHealthIndicator(SyncEngine engine, CrmsyncProperties properties) {
      return new CrmsyncHealthIndicator(engine, properties.getHealth().getCache());
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
    CrmsyncWebhookController crmsyncWebhookController(SyncEngine engine, CrmsyncProperties properties) {
      return new CrmsyncWebhookController(engine, properties.getWebhooks().getEfficySecret());
    }
  }
}

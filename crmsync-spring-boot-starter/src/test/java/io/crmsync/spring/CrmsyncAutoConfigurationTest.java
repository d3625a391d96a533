package io.crmsync.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.state.StateStore;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.junit.CrmsyncEmulators;
import io.crmsync.testkit.junit.Emulators;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@CrmsyncEmulators(contacts = 40, relaxedLimits = true)
class CrmsyncAutoConfigurationTest {

    private static ApplicationContextRunner runner(Emulators emulators) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CrmsyncAutoConfiguration.class))
                .withPropertyValues(runnerProperties(emulators));
    }

    private static String[] runnerProperties(Emulators emulators) {
        return new String[] {
            "crmsync.efficy.url=" + emulators.efficyUri(),
            "crmsync.efficy.customer=" + emulators.efficyCustomer(),
            "crmsync.efficy.api-key=" + emulators.efficy().apiKey(),
            "crmsync.apsis.base-url=" + emulators.apsisUri(),
            "crmsync.apsis.client-id=" + emulators.apsis().clientId(),
            "crmsync.apsis.client-secret=" + emulators.apsis().clientSecret(),
            "crmsync.apsis.section=" + Definitions.SECTION,
            "crmsync.mapping.EMAIL1=" + Definitions.EMAIL,
            "crmsync.mapping.FIRSTNAME=" + Definitions.FIRSTNAME,
            "crmsync.consent.1.checkbox=F_NEWSLETTER",
            "crmsync.consent.1.topic=" + Definitions.NEWSLETTER,
            "crmsync.consent.1.channel=email",
            "crmsync.state.jdbc-url=jdbc:h2:mem:starter-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            // Off here: these tests run the engine themselves (StarterHostTest runs the schedules).
            "crmsync.schedule.poll-interval=PT0S"
        };
    }

    private static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:host-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    @Test
    void theClientsTheStoreAndAWorkingEngineComeFromCrmsyncProperties(Emulators emulators) {
        runner(emulators).run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(EfficyClient.class)
                    .hasSingleBean(ApsisClient.class)
                    .hasSingleBean(StateStore.class)
                    .hasSingleBean(SyncEngine.class)
                    .hasSingleBean(CrmsyncJobs.class);
            SyncReport report = context.getBean(SyncEngine.class).fullSync(FullSyncOptions.defaults());
            assertThat(report.seen()).isEqualTo(40);
            assertThat(emulators.apsis().profileCount()).isEqualTo(report.created());
        });
    }

    @Test
    void theStateStoreUsesTheApplicationsDataSource(Emulators emulators) throws Exception {
        DataSource host = h2();
        runner(emulators).withBean(DataSource.class, () -> host).run(context -> {
            assertThat(context).hasNotFailed();
            context.getBean(StateStore.class).saveCursor("probe", "1");
        });
        try (Connection c = host.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("select cursor_value from crmsync_cursor where name = 'probe'")) {
            assertThat(rs.next()).as("the store wrote to the host's database").isTrue();
        }
    }

    @Test
    void aMissingOrBadPropertyFailsTheContextNamingTheKey(Emulators emulators) {
        runner(emulators)
                .withPropertyValues("crmsync.apsis.section=")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("apsis.section: is required"));
        runner(emulators)
                .withPropertyValues("crmsync.sync.concurrency=0")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("sync.concurrency: '0' must be between 1 and 64"));
        runner(emulators)
                .withPropertyValues("crmsync.strict=true", "crmsync.efficy.api-kee=x")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining(
                                "crmsync.efficy.api-kee is not a key; did you mean crmsync.efficy.api-key?"));
        runner(emulators)
                .withPropertyValues("crmsync.efficy.api-kee=x")
                .run(context -> assertThat(context).hasNotFailed());
        runner(emulators)
                .withPropertyValues("crmsync.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SyncEngine.class));
    }

    @Test
    void theHealthIndicatorRunsTheSetupValidationAndCachesIt(Emulators emulators) {
        runner(emulators).run(context -> {
            CrmsyncHealthIndicator health = context.getBean("crmsyncHealthIndicator", CrmsyncHealthIndicator.class);
            long before = emulators.efficy().journal().total();
            Health first = health.health();
            long afterFirst = emulators.efficy().journal().total();
            Health second = health.health();
            assertThat(first.getStatus()).isEqualTo(Status.UP);
            assertThat(first.getDetails()).containsEntry("efficyUser", "APIUSER");
            assertThat(afterFirst).as("the first check asked Efficy").isGreaterThan(before);
            assertThat(emulators.efficy().journal().total())
                    .as("the second came from the cache")
                    .isEqualTo(afterFirst);
            assertThat(second).isSameAs(first);
        });
        runner(emulators)
                .withPropertyValues("crmsync.mapping.F_NO_SUCH_FIELD=" + Definitions.LASTNAME)
                .run(context -> {
                    Health down = context.getBean(CrmsyncHealthIndicator.class).health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails().get("problems").toString()).contains("F_NO_SUCH_FIELD");
                });
    }

    @Test
    void theMetersAreBoundWhenTheApplicationHasARegistry(Emulators emulators) {
        runner(emulators)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    context.getBean(SyncEngine.class).fullSync(FullSyncOptions.defaults());
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("crmsync.runs")
                                    .tags("job", "fullSync", "outcome", "finished")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.get("crmsync.client.requests")
                                    .tags("service", "efficy")
                                    .timers())
                            .isNotEmpty();
                    assertThat(registry.get("crmsync.quarantined").gauge().value())
                            .isGreaterThanOrEqualTo(0);
                });
    }

    @Test
    void aMissingPropertyIsReportedByItsSpringName(Emulators emulators) throws Exception {
        runner(emulators).withPropertyValues("crmsync.efficy.url=").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            FailureAnalysis analysis = new CrmsyncFailureAnalyzer().analyze(failure);
            assertThat(analysis.getDescription())
                    .isEqualTo("crmsync is not configured: crmsync.efficy.url is required");
            assertThat(analysis.getAction()).contains("Set crmsync.efficy.url").contains("CRMSYNC_EFFICY_URL");
        });
        assertThat(new String(
                        CrmsyncFailureAnalyzer.class
                                .getResourceAsStream("/META-INF/spring.factories")
                                .readAllBytes(),
                        StandardCharsets.UTF_8))
                .contains("org.springframework.boot.diagnostics.FailureAnalyzer=")
                .contains("io.crmsync.spring.CrmsyncFailureAnalyzer");
    }
}

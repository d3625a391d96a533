package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Poll lag per tenant (#24): from the shared journal, in each tenant's own poll intervals, worst first. */
class PollLagsTest {

    private static Properties every(String interval) {
        Properties p = new Properties();
        p.setProperty("schedule.pollInterval", interval);
        return p;
    }

    private static void poll(DataSource db, String tenant, String outcome, Duration ago) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into crmsync_cluster_run (tenant, job, node,"
                        + " execution_version, started_at, ended_at, outcome) values (?, 'poll', 'n', 1, ?, ?, ?)")) {
            Timestamp at = Timestamp.from(Instant.now().minus(ago));
            ps.setString(1, tenant);
            ps.setTimestamp(2, at);
            ps.setTimestamp(3, at);
            ps.setString(4, outcome);
            ps.executeUpdate();
        }
    }

    @Test
    void lagsAreCountedInEachTenantsOwnIntervalsWorstFirstLeavingOutPausedAndUnpolledTenants() throws Exception {
        DataSource db = ClusterDatabase.fresh();
        ClusterSchema.apply(db);
        JdbcTenantRegistry registry = new JdbcTenantRegistry(db);
        registry.add(Tenant.of("minutely", every("PT1M")));
        registry.add(Tenant.of("hourly", every("PT1H")));
        registry.add(Tenant.of("paused", every("PT1M")).withPaused(true));
        registry.add(Tenant.of("off", every("PT0S")));
        registry.add(Tenant.of("new", every("PT1M")));
        poll(db, "minutely", "succeeded", Duration.ofMinutes(5));
        poll(db, "minutely", "failed", Duration.ofSeconds(1)); // a failed poll is no poll
        poll(db, "hourly", "succeeded", Duration.ofMinutes(10));
        poll(db, "paused", "succeeded", Duration.ofHours(2));
        poll(db, "off", "succeeded", Duration.ofHours(2));

        ClusterStatusReader reader =
                new ClusterStatusReader(db, registry, new RunJournal(db, "n"), Duration.ofSeconds(10), "n");
        assertThat(reader.pollLags()).isEqualTo(PollLags.NONE);
        reader.started();
        reader.beat();

        PollLags lags = reader.pollLags();
        assertThat(lags.tenants()).isEqualTo(2);
        assertThat(lags.lagging()).as("more than three intervals behind").isEqualTo(1);
        assertThat(lags.worst()).extracting(PollLags.TenantLag::tenant).containsExactly("minutely", "hourly");
        assertThat(lags.maxIntervals()).isCloseTo(5.0, within(0.5));
        assertThat(lags.worst().get(1).intervals()).isCloseTo(1.0 / 6, within(0.05));
    }
}

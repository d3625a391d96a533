package io.crmsync.config.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.config.CrmsyncConfig;
import io.crmsync.sync.Job;
import io.crmsync.sync.state.StateStore;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class JobCatalogTest {

    private static JobCatalog catalog(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return JobCatalog.of(new CrmsyncConfig(p, Map.of(), Map.of(), new Properties()));
    }

    @Test
    void byDefaultOnlyThePollRunsAndReverseSyncAndTagsWaitUntilConfigured() {
        JobCatalog defaults = catalog();
        assertThat(defaults.scheduled())
                .containsExactly(new JobCatalog.Scheduled(HostedJob.POLL, Duration.ofMinutes(1)));
        assertThat(defaults.jobs()).containsExactlyInAnyOrder(Job.FULL_SYNC, Job.POLL, Job.SYNC_CONTACT);

        JobCatalog all = catalog(
                "query.1.key", "31",
                "query.1.tag", "usercreated.tags.gold",
                "schedule.reverseInterval", "PT15M",
                "taskWebhook.secret", "task-secret-0123456789",
                "webhooks.efficySecret", "efficy-secret-0123456789");
        assertThat(all.scheduled())
                .extracting(JobCatalog.Scheduled::job)
                .containsExactly(HostedJob.POLL, HostedJob.REVERSE_SYNC, HostedJob.QUERY_TAGS);
        assertThat(all.jobs()).contains(Job.REVERSE_SYNC, Job.SYNC_QUERIES, Job.WEBHOOK, Job.TASK_WEBHOOK);
    }

    @Test
    void aPollOnAStoreThatNeverSyncedRunsTheFirstFullSync() {
        StateStore store = StateStore.inMemory();
        JobCatalog catalog = catalog();
        assertThat(catalog.effective(HostedJob.POLL, store)).isEqualTo(HostedJob.FULL_SYNC);
        assertThat(catalog.effective(HostedJob.REVERSE_SYNC, store)).isEqualTo(HostedJob.REVERSE_SYNC);
        store.saveCursor(Job.POLL.id(), "2026-12-04T00:00|0");
        assertThat(catalog.effective(HostedJob.POLL, store)).isEqualTo(HostedJob.POLL);
        assertThat(catalog("fullSync.onEmptyStore", "false").effective(HostedJob.POLL, StateStore.inMemory()))
                .isEqualTo(HostedJob.POLL);
    }
}

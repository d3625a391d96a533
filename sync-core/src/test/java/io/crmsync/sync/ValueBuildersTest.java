package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.apsis.RateLimits;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import io.crmsync.sync.state.ContactSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated builders of the wide values: defaults, named setters, and the records' own checks. */
class ValueBuildersTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void aReportBuiltByNameDefaultsEveryCountToZero() {
        SyncReport r = SyncReport.builder()
                .job("fullSync")
                .startedAt(T0)
                .duration(Duration.ofSeconds(2))
                .seen(5)
                .created(3)
                .build();

        assertThat(r.seen()).isEqualTo(5);
        assertThat(r.created()).isEqualTo(3);
        assertThat(r.updated()).isZero();
        assertThat(r.quarantined()).isEmpty();
        assertThat(r.resumedFrom()).isEmpty();
        assertThat(r.dryRun()).isFalse();
        assertThatThrownBy(() -> SyncReport.builder().seen(1).build()).hasMessageContaining("job");
    }

    @Test
    void optionsAndLimitsStartFromTheirDefaultsAndKeepTheirChecks() {
        FullSyncOptions options =
                FullSyncOptions.builder().mode(SyncMode.IMPORT).pageSize(1_000).build();
        assertThat(options)
                .isEqualTo(FullSyncOptions.defaults().withMode(SyncMode.IMPORT).withPageSize(1_000));
        assertThatThrownBy(() -> FullSyncOptions.builder().pageSize(0).build()).hasMessageContaining("pageSize");

        RateLimits limits = RateLimits.builder().perAccountPerSecond(50).build();
        assertThat(limits).isEqualTo(RateLimits.defaults().withPerAccountPerSecond(50));
    }

    @Test
    void webhookAndResponseConfigBuildersKeepTheFactoriesDefaultsAndTakeNullWhereItMeansNone() {
        TaskWebhookConfig built = TaskWebhookConfig.builder()
                .secret("a-secret-of-16-bytes!")
                .defaultUser("JDOE")
                .build();
        assertThat(built)
                .isEqualTo(TaskWebhookConfig.bearer("a-secret-of-16-bytes!").withDefaultUser("JDOE"));
        assertThat(TaskWebhookConfig.builder()
                        .secret("a-secret-of-16-bytes!")
                        .defaultUser(null)
                        .build()
                        .defaultUser())
                .isNull();

        ResponseMapping none =
                ResponseMapping.builder().sourceField("F_APSIS_ID").build();
        assertThat(none).isEqualTo(ResponseMapping.defaults().withFields("F_APSIS_ID", null));
        assertThat(ResponseMapping.builder().from(none).build()).isEqualTo(none);
        assertThat(ResponseMapping.builder().build())
                .as("no event-type field by default: a stock Efficy has none")
                .isEqualTo(ResponseMapping.defaults());
        assertThat(ResponseMapping.builder().eventTypeField("F_EVENT_TYPE").build())
                .isEqualTo(ResponseMapping.defaults().withFields(ResponseMapping.DEFAULT_SOURCE_FIELD, "F_EVENT_TYPE"));
    }

    @Test
    void aSnapshotBuiltByNameHasVersionOneAndNoValuesByDefault() {
        ContactSnapshot s = ContactSnapshot.builder()
                .contactKey(7)
                .fingerprint("f")
                .updatedAt(T0)
                .attributes(Map.of("com.apsis1.attributes.email", "a@example.com"))
                .build();

        assertThat(s)
                .isEqualTo(new ContactSnapshot(
                        7, 1, "f", Map.of("com.apsis1.attributes.email", "a@example.com"), Map.of(), true, false, T0));
    }
}

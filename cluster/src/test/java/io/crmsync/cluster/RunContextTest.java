package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every log line of a run names its tenant, job and run (#24), through the thread's name. (The MDC
 * keys are for hosts with an MDC-aware log binding; slf4j-simple, these tests' binding, keeps none.)
 */
class RunContextTest {

    @Test
    void aRunNamesItsThreadAndPutsItBackWhenItEnds() {
        String before = Thread.currentThread().getName();
        try (RunContext context = RunContext.enter("acme", "poll", 433)) {
            assertThat(Thread.currentThread().getName()).isEqualTo("tenant acme poll run 433");
        }
        assertThat(Thread.currentThread().getName()).isEqualTo(before);
    }

    @Test
    void workThatIsNotJournalledHasNoRunId() {
        try (RunContext context = RunContext.enter("acme", "efficy delivery", -1)) {
            assertThat(Thread.currentThread().getName()).isEqualTo("tenant acme efficy delivery");
        }
    }
}

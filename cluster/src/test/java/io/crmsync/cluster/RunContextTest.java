package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every log line of a run names its tenant, job and run (#24), through the thread's name. (The MDC
 * keys are for hosts with an MDC-aware log binding; slf4j-simple, these tests' binding, keeps none.)
 */
class RunContextTest {

    @Test
    void aRunNamesItsThreadAndPutsItBackWhenItEnds() {
        String before = Thread.currentThread().getName();
        try (RunContext context = RunContext.enter("acme", "poll", 433, List.of())) {
            assertThat(Thread.currentThread().getName()).isEqualTo("tenant acme poll run 433");
        }
        assertThat(Thread.currentThread().getName()).isEqualTo(before);
    }

    @Test
    void workThatIsNotJournalledHasNoRunId() {
        try (RunContext context = RunContext.enter("acme", "efficy delivery", -1, List.of())) {
            assertThat(Thread.currentThread().getName()).isEqualTo("tenant acme efficy delivery");
        }
    }

    @Test
    void itsListenersHearHowTheRunEndedAndAFailedOneWhenNothingElseWasSaid() {
        List<FinishedRun> heard = new ArrayList<>();
        AtomicLong succeeded = new AtomicLong();
        try (RunContext context = RunContext.enter("acme", "poll", 1, List.of(heard::add))) {
            context.ended("succeeded", succeeded);
        }
        try (RunContext context = RunContext.enter("beta", "fullSync", 2, List.of(heard::add))) {
            // it threw before it said how it ended
        }
        assertThat(succeeded).hasValue(1);
        assertThat(heard)
                .extracting(FinishedRun::tenant, FinishedRun::job, FinishedRun::outcome)
                .containsExactly(tuple("acme", "poll", "succeeded"), tuple("beta", "fullSync", "failed"));
        assertThat(heard).allMatch(r -> !r.duration().isNegative());
    }
}

package io.crmsync.apsis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final ApsisTestKit.TestClock clock = new ApsisTestKit.TestClock();
    private final ApsisTestKit.RecordingSleeper sleeper = new ApsisTestKit.RecordingSleeper(clock);

    @Test
    void tokenImportAndExportBucketsKeepTheirPerMinuteRates() throws Exception {
        RateLimiter limiter = new RateLimiter(new RateLimits(1000, 1000, 2, 3, 3, 1), clock, sleeper);
        limiter.acquire(RateLimiter.Kind.TOKEN, null);
        limiter.acquire(RateLimiter.Kind.TOKEN, null);
        assertThat(sleeper.total()).isZero();
        limiter.acquire(RateLimiter.Kind.TOKEN, null);
        assertThat(sleeper.delays).containsExactly(Duration.ofSeconds(30));

        sleeper.delays.clear();
        for (int i = 0; i < 4; i++) {
            limiter.acquire(RateLimiter.Kind.IMPORT_CREATE, null);
        }
        assertThat(sleeper.total()).isEqualTo(Duration.ofSeconds(20));

        sleeper.delays.clear();
        limiter.acquire(RateLimiter.Kind.EXPORT_CREATE, null);
        limiter.acquire(RateLimiter.Kind.EXPORT_CREATE, null);
        assertThat(sleeper.total()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void idleProfileBucketsDoNotSlowOtherProfiles() throws Exception {
        RateLimiter limiter = new RateLimiter(new RateLimits(1000, 2, 10, 10, 3, 1), clock, sleeper);
        for (int i = 0; i < 50; i++) {
            limiter.acquire(RateLimiter.Kind.ORDINARY, "profile-" + i);
        }
        assertThat(sleeper.total()).isZero();
        limiter.acquire(RateLimiter.Kind.ORDINARY, "profile-1");
        limiter.acquire(RateLimiter.Kind.ORDINARY, "profile-1");
        assertThat(sleeper.total()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aSharedAccountBudgetIsAskedForEveryRequestAndItsWaitIsSlept() throws Exception {
        List<String> asked = new ArrayList<>();
        AccountBudget budget = clientId -> {
            asked.add(clientId);
            return asked.size() == 2 ? Duration.ofMillis(40) : Duration.ZERO;
        };
        RateLimiter limiter = new RateLimiter(RateLimits.defaults(), clock, sleeper, budget, "acme");
        limiter.acquire(RateLimiter.Kind.ORDINARY, null);
        limiter.acquire(RateLimiter.Kind.TOKEN, null);
        limiter.acquire(RateLimiter.Kind.ORDINARY, "k");

        assertThat(asked).containsExactly("acme", "acme", "acme");
        assertThat(sleeper.delays).containsExactly(Duration.ofMillis(40));
    }
}

package io.crmsync.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The cluster at scale, scaled down for the slow lane (#26): 500 tenants on three nodes, one killed
 * during the first full syncs. Asserts p99 due-to-start of the polls and the failover time; the
 * full-size run is {@link ClusterScaleBenchmark}. Prints every figure.
 */
class ClusterScaleIT {

    @Test
    void fiveHundredTenantsPollOnTimeAndAKilledNodesWorkResumesWithinTheDeadLimitAndTenSeconds() throws Exception {
        int tenants = Integer.getInteger("crmsync.scale.tenants", 500);
        try (ClusterScale scale = new ClusterScale(tenants, Duration.ofSeconds(30), "512m")) {
            ClusterScale.Result r;
            try {
                r = scale.run(Duration.ofSeconds(75));
            } finally {
                scale.figures.forEach(
                        (k, v) -> System.out.println("cluster scale, " + tenants + " tenants: " + k + ": " + v));
            }
            assertThat(r.polls()).as("polls measured").isGreaterThan(tenants);
            assertThat(r.pollP99()).as("p99 due-to-start of the polls, s").isLessThanOrEqualTo(5.0);
            assertThat(r.revived()).as("executions the killed node held").isPositive();
            assertThat(r.slowestFailover())
                    .as("slowest revived start after the kill")
                    .isLessThanOrEqualTo(r.deadLimit().plusSeconds(10));
        }
    }
}

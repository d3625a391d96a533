package io.crmsync.cli.cluster;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The full-size cluster benchmark (#26): {@code -Dcrmsync.scale.tenants} tenants (10,000) on three
 * nodes and one PostgreSQL, polls every {@code -Dcrmsync.scale.poll} (PT5M) measured for
 * {@code -Dcrmsync.scale.window} (PT6M). Not a test (no assertion, never in CI): it prints the
 * figures docs/CLUSTER.md records.
 *
 * <pre>
 * mvn -B -ntp -pl cli test -Dtest=ClusterScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dcrmsync.scale.tenants=10000
 * </pre>
 */
class ClusterScaleBenchmark {

    @Test
    void measure() throws Exception {
        int tenants = Integer.getInteger("crmsync.scale.tenants", 10_000);
        Duration poll = Duration.parse(System.getProperty("crmsync.scale.poll", "PT5M"));
        Duration window = Duration.parse(System.getProperty("crmsync.scale.window", "PT6M"));
        try (ClusterScale scale = new ClusterScale(tenants, poll, System.getProperty("crmsync.scale.heap", "512m"))) {
            ClusterScale.Result r;
            try {
                r = scale.run(window);
            } finally {
                scale.figures.forEach(
                        (k, v) -> System.out.println("cluster scale, " + tenants + " tenants: " + k + ": " + v));
            }
            System.out.println("cluster scale: p99 due-to-start " + r.pollP99() + " s (goal 5 s), slowest failover "
                    + r.slowestFailover() + " (goal " + r.deadLimit().plusSeconds(10) + ")");
        }
    }
}

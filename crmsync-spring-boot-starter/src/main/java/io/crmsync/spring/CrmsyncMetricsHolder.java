package io.crmsync.spring;

import io.crmsync.micrometer.CrmsyncMetrics;

/**
 * The crmsync meters of the application, or none when it has no {@code MeterRegistry}.
 *
 * @param metrics the meters, or null
 */
public record CrmsyncMetricsHolder(CrmsyncMetrics metrics) {}

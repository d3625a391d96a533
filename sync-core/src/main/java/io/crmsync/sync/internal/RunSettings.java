package io.crmsync.sync.internal;

import io.crmsync.sync.SyncListener;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * How runs go: who hears of them, the writer threads, the lease and the circuit breaker. Internal.
 *
 * @param listener the host's listener
 * @param workers the threads that write to APSIS
 * @param concurrency how many of them
 * @param instanceId this engine's id in leases
 * @param leaseTtl how long a lease lasts without renewal
 * @param circuitBreakerThreshold consecutive contact failures that end a run
 */
public record RunSettings(
        SyncListener listener,
        ExecutorService workers,
        int concurrency,
        String instanceId,
        Duration leaseTtl,
        int circuitBreakerThreshold) {}

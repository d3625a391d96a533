package io.crmsync.sync.state;

import java.time.Duration;
import java.time.Instant;

/**
 * The role of a state store that hands out leases, so that one engine instance at a time runs a
 * job (a poller, a full sync, a reverse sync). Implementations are thread-safe and atomic across
 * every instance sharing the store.
 */
public interface LeaseManager {

    /**
     * Takes or renews the lease on a job for {@code owner} until {@code now + ttl}; succeeds when the
     * job is free, its lease expired, or {@code owner} already holds it.
     */
    boolean tryLease(String job, String owner, Instant now, Duration ttl);

    /** Gives a lease back, if {@code owner} holds it. */
    void releaseLease(String job, String owner);
}

package io.crmsync.sync.internal.run;

import io.crmsync.sync.RunStoppedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The fencing check of one run: before each APSIS or Efficy write and before each checkpoint the
 * run calls {@link #check()}, which throws once the run may no longer write. That is when the
 * heartbeat could not renew the lease (another instance took it, or the store did not answer
 * before the lease ran out), when the lease's time has passed since its last renewal (the
 * process was paused, so the heartbeat did not run), or when the engine is closing. Thread-safe.
 * Internal.
 */
public final class Fence {

    /** The fence of a run that holds no lease (real-time changes, webhooks): only closing stops it. */
    static Fence unleased(String job, Clock clock, BooleanSupplier closing) {
        return new Fence(job, clock, null, closing);
    }

    /** Asks the store, now, whether the run still holds its lease (renewing it). */
    @FunctionalInterface
    interface Confirmer {
        boolean stillHeld(Instant now);
    }

    private final String job;
    private final Clock clock;
    private final Duration ttl;
    private final BooleanSupplier closing;
    private volatile Instant validUntil;
    private volatile String lost;
    private volatile Confirmer confirmer;

    Fence(String job, Clock clock, Duration ttl, BooleanSupplier closing) {
        this.job = job;
        this.clock = clock;
        this.ttl = ttl;
        this.closing = closing;
        this.validUntil = ttl == null ? Instant.MAX : clock.instant().plus(ttl);
    }

    /** Sets how {@link #confirm()} asks the store (leased runs only). */
    void confirmWith(Confirmer c) {
        this.confirmer = c;
    }

    /**
     * Before a commit (a checkpoint, or a chunk of an import's snapshots): checks, then asks the
     * store whether the run still holds its lease, now, rather than trusting the last heartbeat;
     * throws when it does not. One store query for a leased run; a run without a lease only checks.
     * In a cluster the lease is the scheduler's picked execution, so every checkpoint checks its
     * version.
     *
     * @throws RunStoppedException naming why
     */
    public void confirm() {
        check();
        Confirmer c = confirmer;
        if (c == null) {
            return;
        }
        Instant now = clock.instant();
        if (c.stillHeld(now)) {
            renewed(now);
        } else {
            lose("its lease is held elsewhere");
            check();
        }
    }

    /** Records a renewal made at {@code at}. */
    void renewed(Instant at) {
        if (ttl != null) {
            validUntil = at.plus(ttl);
        }
    }

    /** Marks the lease lost, for {@code reason}; every later check fails. */
    void lose(String reason) {
        if (lost == null) {
            lost = reason;
        }
    }

    /** When the lease runs out unless renewed. */
    Instant validUntil() {
        return validUntil;
    }

    /** Whether the run may still write. */
    public boolean holds() {
        return reason() == null;
    }

    /**
     * Throws when the run may no longer write.
     *
     * @throws RunStoppedException naming why
     */
    public void check() {
        String why = reason();
        if (why != null) {
            throw new RunStoppedException(job, why);
        }
    }

    private String reason() {
        if (lost != null) {
            return lost;
        }
        if (closing.getAsBoolean()) {
            return "the engine is closing";
        }
        if (ttl != null && clock.instant().isAfter(validUntil)) {
            return "its lease ran out at " + validUntil + " without renewal";
        }
        return null;
    }
}

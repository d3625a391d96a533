package io.crmsync.apsis;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An import that {@link ImportService#submit} created and uploaded, not yet final. It holds one
 * of the client's in-flight places until {@link ImportService#finish} (or
 * {@link ImportService#abandon}) gives it back. Thread-safe.
 */
public final class PendingImport {

    private final String importId;
    private final int rows;
    private final Semaphore places;
    private final AtomicBoolean held = new AtomicBoolean(true);

    PendingImport(String importId, int rows, Semaphore places) {
        this.importId = importId;
        this.rows = rows;
        this.places = places;
    }

    /** The import's id. */
    public String importId() {
        return importId;
    }

    /** Data rows in its file. */
    public int rows() {
        return rows;
    }

    /** Gives the in-flight place back, once. */
    void release() {
        if (held.compareAndSet(true, false)) {
            places.release();
        }
    }

    @Override
    public String toString() {
        return "PendingImport[" + importId + ", " + rows + " rows]";
    }
}

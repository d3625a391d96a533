package io.crmsync.sync.state.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leases for an embedded H2 database (a file or memory): H2's own file lock keeps every other
 * process out of the database, so a lease only has to exclude the other engines of this JVM.
 * They are held in memory, keyed by the database, and die with the process: a restart after a
 * kill finds the job free at once. Package-private.
 */
final class ProcessLeases implements Leases {

    private static final Map<String, String> HELD = new ConcurrentHashMap<>();

    private final String database;
    private final Set<String> mine = ConcurrentHashMap.newKeySet();

    /** @param database what identifies the database within this JVM (its path or memory name) */
    ProcessLeases(String database) {
        this.database = database;
    }

    @Override
    public boolean tryLease(String job, String owner, Instant now, Duration ttl) {
        String key = database + '\u0000' + job;
        String holder = HELD.putIfAbsent(key, owner);
        if (holder == null || holder.equals(owner)) {
            mine.add(key);
            return true;
        }
        return false;
    }

    @Override
    public void releaseLease(String job, String owner) {
        String key = database + '\u0000' + job;
        if (HELD.remove(key, owner)) {
            mine.remove(key);
        }
    }

    @Override
    public void close() {
        // A store that closes gives up what it held, as a dead process would.
        for (String key : mine) {
            HELD.remove(key);
        }
        mine.clear();
    }
}

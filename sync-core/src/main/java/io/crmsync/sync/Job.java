package io.crmsync.sync;

import io.crmsync.sync.state.StateStore;

/**
 * The kinds of run the engine does. Each run's {@link SyncReport#job()} and every
 * {@link SyncListener} event names one. The {@link #id()} is also the name of the job's lease and
 * cursor in the {@link StateStore}.
 */
public enum Job {
    /** {@link SyncEngine#syncContact(long)}. */
    SYNC_CONTACT("syncContact", false),
    /** {@link SyncEngine#handleEfficyWebhook(String)}. */
    WEBHOOK("webhook", false),
    /** {@link SyncEngine#pollChanges()}: one instance at a time. */
    POLL("poll", true),
    /** {@link SyncEngine#fullSync(FullSyncOptions)}: one instance at a time. */
    FULL_SYNC("fullSync", true),
    /** {@link SyncEngine#syncQueries()}: one instance at a time. */
    SYNC_QUERIES("syncQueries", true),
    /** {@link SyncEngine#reverseSync()}: one instance at a time. */
    REVERSE_SYNC("reverseSync", true),
    /**
     * {@link SyncEngine#handleTaskWebhook}: an APSIS Marketing Automation call that creates an
     * Efficy task. Named so that {@link SyncEngine#validateSetup(java.util.Set)} can check what it
     * writes; its calls report no run.
     */
    TASK_WEBHOOK("taskWebhook", false);

    private final String id;
    private final boolean exclusive;

    Job(String id, boolean exclusive) {
        this.id = id;
        this.exclusive = exclusive;
    }

    /** The job's name in reports, leases and logs, e.g. {@code fullSync}. */
    public String id() {
        return id;
    }

    /** Whether one run at a time is allowed, across instances (a lease) and within one engine. */
    public boolean exclusive() {
        return exclusive;
    }

    /**
     * The job with this id.
     *
     * @throws IllegalArgumentException naming the id, when no job has it
     */
    public static Job of(String id) {
        for (Job j : values()) {
            if (j.id.equals(id)) {
                return j;
            }
        }
        throw new IllegalArgumentException("no job is called '" + id + "'");
    }

    @Override
    public String toString() {
        return id;
    }
}

package io.crmsync.sync.internal.forward;

import io.crmsync.sync.ContactData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads single contacts for real-time sync, coalescing the reads of concurrent callers: while a
 * read is in flight, the contacts other threads ask for wait in a queue, and the next free caller
 * reads all of them (up to {@value #MAX_BATCH}) in one batched request. Fifty webhook calls
 * arriving together thus cost a few Efficy requests instead of fifty, and do not queue one by one
 * behind the Efficy client's concurrency cap. A lone caller makes exactly the request it would
 * make alone. At most {@value #IN_FLIGHT} reads are in flight at once. A failed read fails every
 * caller of its batch. Thread-safe. Internal.
 */
final class CoalescedReads {

    static final int MAX_BATCH = 500;
    static final int IN_FLIGHT = 2;

    private final ContactReader reader;
    private final Deque<Waiter> queue = new ArrayDeque<>();
    private int inFlight;

    CoalescedReads(ContactReader reader) {
        this.reader = reader;
    }

    /** One contact, or empty when Efficy has no such contact. */
    Optional<ContactData> one(long key) {
        Waiter me = new Waiter(key);
        List<Waiter> batch;
        synchronized (this) {
            queue.addLast(me);
            while (true) {
                if (me.done) {
                    return me.result();
                }
                if (inFlight < IN_FLIGHT && !queue.isEmpty()) {
                    inFlight++;
                    batch = new ArrayList<>();
                    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                        batch.add(queue.removeFirst());
                    }
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    queue.remove(me);
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for an Efficy read", e);
                }
            }
        }
        read(batch);
        synchronized (this) {
            inFlight--;
            notifyAll();
            // Our own contact may have been read by another caller's batch while we read ours.
            while (!me.done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for an Efficy read", e);
                }
            }
        }
        return me.result();
    }

    private void read(List<Waiter> batch) {
        try {
            if (batch.size() == 1) {
                Optional<ContactData> found = reader.one(batch.get(0).key);
                synchronized (this) {
                    batch.get(0).found = found.orElse(null);
                    batch.get(0).done = true;
                }
                return;
            }
            Map<Long, ContactData> found =
                    reader.many(batch.stream().map(w -> w.key).distinct().toList());
            synchronized (this) {
                for (Waiter w : batch) {
                    w.found = found.get(w.key);
                    w.done = true;
                }
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                for (Waiter w : batch) {
                    w.error = e;
                    w.done = true;
                }
            }
        }
    }

    private static final class Waiter {
        final long key;
        ContactData found;
        RuntimeException error;
        boolean done;

        Waiter(long key) {
            this.key = key;
        }

        Optional<ContactData> result() {
            if (error != null) {
                throw error;
            }
            return Optional.ofNullable(found);
        }
    }
}

package io.crmsync.sync.internal.forward;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads the next items of an iterator on a background thread while the caller works on the
 * current one, holding at most {@code depth} items ahead, so that the Efficy page read overlaps
 * the planning and writing of the page before it and memory stays flat. A failure of the source is
 * thrown by {@link #next} where the item would have been. {@link #close} stops the reader (the
 * caller closes it when it stops early). Internal.
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread reader;
    private volatile boolean closed;
    private Object head;

    ReadAhead(Iterator<T> source, int depth, String name) {
        this.queue = new ArrayBlockingQueue<>(depth + 1);
        this.reader = new Thread(
                () -> {
                    try {
                        while (!closed && source.hasNext()) {
                            put(source.next());
                        }
                        put(END);
                    } catch (RuntimeException | Error e) {
                        put(new Failure(e));
                    }
                },
                name);
        reader.setDaemon(true);
        reader.start();
    }

    private void put(Object item) {
        try {
            while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // wait for room, unless closed
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean hasNext() {
        if (head == null) {
            try {
                head = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next page", e);
            }
        }
        if (head instanceof Failure f) {
            if (f.error instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) f.error;
        }
        return head != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = (T) head;
        head = null;
        return item;
    }

    /** Stops the reader and waits briefly for it; idempotent. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        reader.interrupt();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Failure(Throwable error) {}
}

package io.crmsync.testkit.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an emulator served: the last requests (at most 10,000 kept) and a counter per route that
 * never forgets. Tests assert "how many writes", benchmarks print requests per route.
 */
public final class RequestJournal {

    private static final int KEEP = 10_000;

    private final Deque<JournalEntry> recent = new ArrayDeque<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    /** Records a request. */
    public void record(JournalEntry entry) {
        counts.computeIfAbsent(entry.route(), r -> new LongAdder()).increment();
        total.increment();
        synchronized (recent) {
            recent.addLast(entry);
            if (recent.size() > KEEP) {
                recent.removeFirst();
            }
        }
    }

    /** The kept entries, oldest first. */
    public List<JournalEntry> entries() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** Requests per route, sorted by route. */
    public Map<String, Long> counts() {
        Map<String, Long> map = new TreeMap<>();
        counts.forEach((route, n) -> map.put(route, n.sum()));
        return map;
    }

    /** Requests on one route. */
    public long count(String route) {
        LongAdder n = counts.get(route);
        return n == null ? 0 : n.sum();
    }

    /** Requests on routes starting with {@code prefix} (e.g. {@code "PATCH "} for all patches). */
    public long countStartingWith(String prefix) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().sum())
                .sum();
    }

    /** Every request served. */
    public long total() {
        return total.sum();
    }

    /** Forgets everything. */
    public void clear() {
        counts.clear();
        total.reset();
        synchronized (recent) {
            recent.clear();
        }
    }
}

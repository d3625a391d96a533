package io.crmsync.testkit.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Which requests an emulator answers with a {@link Fault}: the next N requests (optionally only
 * those whose path contains a text), or a seeded random share of all requests. Thread-safe.
 */
public final class FaultPlan {

    private record Planned(int[] remaining, Predicate<String> applies, Fault fault) {}

    private final Deque<Planned> planned = new ArrayDeque<>();
    private SplittableRandom random;
    private double share;
    private List<Fault> randomFaults;

    /** The next {@code count} requests get {@code fault}. */
    public synchronized FaultPlan next(int count, Fault fault) {
        return next(count, path -> true, fault);
    }

    /** The next {@code count} requests whose path contains {@code pathPart} get {@code fault}. */
    public synchronized FaultPlan next(int count, String pathPart, Fault fault) {
        return next(count, path -> path.contains(pathPart), fault);
    }

    private FaultPlan next(int count, Predicate<String> applies, Fault fault) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        planned.addLast(new Planned(new int[] {count}, applies, fault));
        return this;
    }

    /** A seeded random {@code share} (0 to 1) of all requests get {@code fault}. */
    public synchronized FaultPlan randomly(double share, long seed, Fault fault) {
        return randomly(share, seed, List.of(fault));
    }

    /**
     * A seeded random {@code share} (0 to 1) of all requests get one of {@code faults}, chosen
     * uniformly by the same seeded generator.
     */
    public synchronized FaultPlan randomly(double share, long seed, List<Fault> faults) {
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("faults must not be empty");
        }
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be between 0 and 1, was " + share);
        }
        this.share = share;
        this.random = new SplittableRandom(seed);
        this.randomFaults = List.copyOf(faults);
        return this;
    }

    /** Removes every planned fault. */
    public synchronized void clear() {
        planned.clear();
        random = null;
        randomFaults = null;
        share = 0;
    }

    /** The fault for a request to {@code path}, if any; consumes one planned use (the emulators' server calls it). */
    public synchronized Optional<Fault> take(String path) {
        for (Planned p : planned) {
            if (p.applies().test(path)) {
                if (--p.remaining()[0] == 0) {
                    planned.remove(p);
                }
                return Optional.of(p.fault());
            }
        }
        if (random != null && random.nextDouble() < share) {
            return Optional.of(randomFaults.get(random.nextInt(randomFaults.size())));
        }
        return Optional.empty();
    }
}

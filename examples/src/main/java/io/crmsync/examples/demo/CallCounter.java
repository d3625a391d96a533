package io.crmsync.examples.demo;

import io.crmsync.apsis.ApsisListener;
import io.crmsync.efficy.EfficyListener;
import java.util.concurrent.atomic.LongAdder;

/** Counts HTTP requests a client sends, so the demo can show the cost of every step. */
final class CallCounter {

    private final LongAdder count = new LongAdder();

    /** A listener for the Efficy client. */
    EfficyListener efficy() {
        return new EfficyListener() {
            @Override
            public void requestStart(String operation, String requestId, int attempt) {
                count.increment();
            }
        };
    }

    /** A listener for the APSIS client. */
    ApsisListener apsis() {
        return new ApsisListener() {
            @Override
            public void requestStart(String route, String requestId, int attempt) {
                count.increment();
            }
        };
    }

    long count() {
        return count.sum();
    }
}

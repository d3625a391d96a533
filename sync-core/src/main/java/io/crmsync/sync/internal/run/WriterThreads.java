package io.crmsync.sync.internal.run;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The engine's own writer threads. Internal. */
public final class WriterThreads {

    private WriterThreads() {}

    /**
     * {@code size} threads at most, each ending after 30 s idle, so an engine between runs holds no
     * thread (a node of many tenants keeps many engines).
     */
    public static ExecutorService idleFreeing(int size) {
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "crmsync-writer");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}

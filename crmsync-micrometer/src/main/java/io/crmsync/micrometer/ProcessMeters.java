package io.crmsync.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * Micrometer's JVM and process binders, for a host that has none of its own (the CLI's
 * {@code serve} and {@code cluster}; Spring Boot binds its own, so the starter does not use this):
 * memory pools, garbage collection, threads, classes, CPU, uptime and open files. Close it to stop
 * listening to the collector's events.
 *
 * <pre>{@code
 * try (ProcessMeters jvm = ProcessMeters.bind(registry)) { ... }
 * }</pre>
 */
public final class ProcessMeters implements AutoCloseable {

    private final JvmGcMetrics gc;

    private ProcessMeters(JvmGcMetrics gc) {
        this.gc = gc;
    }

    /** Binds every binder to {@code registry}. */
    public static ProcessMeters bind(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return new ProcessMeters(gc);
    }

    @Override
    public void close() {
        gc.close();
    }
}

package io.crmsync.config.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.sync.Job;
import io.crmsync.sync.SyncProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The full sync's progress line (#24): its ETA is honest from the first seconds. */
class ProgressLineTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ProgressLine line = new ProgressLine(new PrintStream(out, true, StandardCharsets.UTF_8), nanos::get);

    private String at(double seconds, long seen, OptionalLong expected) {
        nanos.set((long) (seconds * 1e9));
        SyncProgress p = new SyncProgress(Job.FULL_SYNC, Instant.EPOCH, seen, seen - 1, 1, expected);
        line.progress(p);
        return line.describe(p, nanos.get());
    }

    @Test
    void aSlowFirstPageDoesNotInflateTheEtaOfTheWholeRun() {
        line.runStarted(Job.FULL_SYNC);
        OptionalLong total = OptionalLong.of(10_000);
        // The first page comes after 8 s (connections, the first import), then 1,000 contacts a second.
        assertThat(at(8, 500, total)).contains("read 500 of about 10,000").endsWith("measuring");
        assertThat(at(9, 1_500, total)).endsWith("ETA: measuring");
        // Since the start the rate would be 250/s and say 34 s; measured from the first page it is 1,000/s.
        assertThat(at(10, 2_500, total)).contains("1,000/s").endsWith("ETA 8 s");
        assertThat(at(12, 4_500, total)).contains("read 4,500 of about 10,000").endsWith("ETA 6 s");
        assertThat(at(22, 10_000, total)).contains("quarantined 1").endsWith("ETA 0 s");
    }

    @Test
    void noEtaIsShownBeforeTheRateIsMeasuredNorWithoutATotal() {
        line.runStarted(Job.FULL_SYNC);
        assertThat(at(0.5, 500, OptionalLong.of(10_000))).endsWith("measuring");
        assertThat(at(1.0, 1_000, OptionalLong.of(10_000))).endsWith("ETA: measuring");
        assertThat(at(3.0, 3_000, OptionalLong.of(10_000))).contains("1,000/s").endsWith("ETA 7 s");
        assertThat(at(4.0, 4_000, OptionalLong.empty()))
                .contains("1,000/s")
                .endsWith("no ETA: no earlier complete full sync counted the contacts");
    }

    @Test
    void finishClearsTheLine() {
        line.runStarted(Job.FULL_SYNC);
        at(1, 100, OptionalLong.empty());
        line.finish();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\rfull sync: read 100").endsWith("\r");
    }
}

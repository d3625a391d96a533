package io.crmsync.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoTest {

    private static String run(Path state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = new Demo(new PrintStream(out, true, StandardCharsets.UTF_8), 1_500, state).run();
        assertThat(status).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoShowsEveryCapabilityAndARerunFindsTheContactsUnchanged() throws Exception {
        Path state = Files.createTempDirectory("demo").resolve("state");

        String first = run(state);

        assertThat(first)
                .contains("[2] Validate the setup: valid: Efficy 12.1.3 as APIUSER")
                .containsPattern("\\[3\\] Full sync: 1,500 read: 1,\\d{3} created, 0 updated, 0 unchanged")
                .contains("[4] Real-time sync: contact 1 renamed in Efficy -> APSIS first name is now \"Renée\"")
                .containsPattern(
                        "\\[5\\] E-mail change: .*opt-in \\S+, opt-out \\S+, opt-in moved\\.\\d+@example\\.org")
                .containsPattern("\\[6\\] Stored query as tag: .* [1-9]\\d* profiles tagged")
                .containsPattern("\\[7\\] Campaign and reverse sync: [\\d,]+ events .* history records in Efficy")
                .contains("[8] Task webhook: HTTP 200 CREATED")
                .contains("replay: HTTP 200 DUPLICATE, still one task")
                .contains("Summary")
                .contains("total");

        String second = run(state);
        assertThat(second)
                .contains("state from an earlier run found")
                .containsPattern("\\[3\\] Full sync: 1,500 read: 0 created, \\d+ updated, 1,\\d{3} unchanged")
                .contains("[3b] Re-send (fresh emulator)");
        assertThat(fullSyncCounts(first))
                .as("every contact read is counted once")
                .isEqualTo(1_500);
        assertThat(fullSyncCounts(second))
                .as("every contact read is counted once")
                .isEqualTo(1_500);
    }

    /** The sum of the full sync's outcomes (created ... still refused) on its line of the demo. */
    private static long fullSyncCounts(String output) {
        Matcher m = Pattern.compile("\\[3\\] Full sync: [\\d,]+ read: ([\\d,]+) created,"
                        + " ([\\d,]+) updated, ([\\d,]+) unchanged, ([\\d,]+) filtered out, ([\\d,]+) quarantined now,"
                        + " ([\\d,]+) still refused")
                .matcher(output);
        assertThat(m.find()).as(output).isTrue();
        long sum = 0;
        for (int g = 1; g <= 6; g++) {
            sum += Long.parseLong(m.group(g).replace(",", ""));
        }
        return sum;
    }
}

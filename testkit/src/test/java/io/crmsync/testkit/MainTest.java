package io.crmsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void bothPrintsBaseUrisAndCredentialsOnLoopback() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<AutoCloseable> started = Main.start(
                new String[] {"both", "--contacts", "25"}, new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(started).hasSize(2);
            assertThat(printed)
                    .contains("Efficy emulator: http://127.0.0.1:")
                    .contains("API key: test-api-key")
                    .contains("contacts: 25")
                    .contains("APSIS One emulator: http://127.0.0.1:")
                    .contains("client secret: test-secret");
        } finally {
            for (AutoCloseable c : started) {
                c.close();
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Main.start(new String[] {"crm"}, out)).hasMessageContaining("'crm'");
        assertThatThrownBy(() -> Main.start(new String[] {"efficy", "--port", "x"}, out))
                .hasMessageContaining("--port");
        assertThatThrownBy(() -> Main.start(new String[] {"apsis", "--colour"}, out))
                .hasMessageContaining("--colour");
    }
}

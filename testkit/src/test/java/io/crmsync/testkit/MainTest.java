package io.crmsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @Test
    void manyCustomersAndAccountsEachWithItsOwnCredentials() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<AutoCloseable> started = Main.start(
                new String[] {"both", "--customers", "3", "--accounts", "2", "--contacts", "5"},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("customer: demo   API key: test-api-key ")
                    .contains("customer: demo3   API key: test-api-key-3")
                    .contains("client id: test-client-2   client secret: test-secret-2");
            EfficyEmulator efficy = (EfficyEmulator) started.get(0);
            assertThat(efficy.customers()).containsExactlyInAnyOrder("demo", "demo2", "demo3");
        } finally {
            for (AutoCloseable c : started) {
                c.close();
            }
        }
        assertThat(Main.USAGE)
                .contains("--customers N")
                .contains("--accounts N")
                .contains("/_admin");
    }

    @Test
    void postgresStartsAThrowawayServerOnLoopbackForACluster() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<AutoCloseable> started =
                Main.start(new String[] {"postgres"}, new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String printed = out.toString(StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("cluster.jdbcUrl=jdbc:postgresql://127.0.0.1:(\\d+)/postgres\\?user=postgres")
                    .matcher(printed);
            assertThat(m.find()).as(printed).isTrue();
            try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                assertThat(s.isConnected()).isTrue();
            }
        } finally {
            for (AutoCloseable c : started) {
                c.close();
            }
        }
    }
}

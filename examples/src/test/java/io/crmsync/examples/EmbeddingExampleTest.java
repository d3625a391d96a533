package io.crmsync.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.sync.SyncReport;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {

    @Test
    void theReadmeExampleRunsAgainstTheEmulators() throws Exception {
        try (EfficyEmulator efficy = EfficyEmulator.start().seedContacts(100, 1);
                ApsisEmulator apsis =
                        ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start()) {
            String state = "jdbc:h2:file:"
                    + Files.createTempDirectory("embed").resolve("state").toAbsolutePath();
            SyncReport report = EmbeddingExample.sync(
                    URI.create(efficy.baseUri() + "/crm"),
                    efficy.apiKey(),
                    apsis.baseUri(),
                    apsis.clientId(),
                    apsis.clientSecret(),
                    state);
            assertThat(report.created()).isPositive();
            // A contact with an invalid address is quarantined before any request: it has no profile.
            assertThat(apsis.profileCount()).isEqualTo((int) report.created());
        }
    }

    @Test
    void theReadmeShowsExactlyTheExampleCode() throws Exception {
        Path source = Path.of("src/main/java/io/crmsync/examples/EmbeddingExample.java");
        Path readme = Path.of("../README.md");
        List<String> lines = Files.readAllLines(source);
        List<String> trimmed = lines.stream().map(String::trim).toList();
        int begin = trimmed.indexOf("// README:begin");
        int end = trimmed.indexOf("// README:end");
        int indent = lines.get(begin).indexOf('/');
        List<String> code = lines.subList(begin + 1, end).stream()
                .map(l -> l.length() >= indent ? l.substring(indent) : l.trim())
                .toList();
        String readmeText = Files.readString(readme);
        assertThat(readmeText).contains(String.join("\n", code));
    }
}

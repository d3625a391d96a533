package io.crmsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.crmsync.testkit.audit.ProtocolAudit;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the public npm Efficy client, {@code efficy-enterprise-api} 1.0.28 (pinned in
 * {@code testkit/conformance/package-lock.json}), against the Efficy emulator: an outside referee,
 * written against real Enterprise servers, for the emulator's reading of the protocol notes. The
 * script is {@code testkit/conformance/conformance.mjs}; this test installs it with {@code npm ci}
 * when needed, runs it, and checks the emulator's state after it.
 *
 * <p>Needs Node and npm. Without them the test is skipped on a developer's machine and fails
 * under CI ({@code CI=true}), where {@code .ci/run} installs the package first.
 */
class NpmClientConformanceTest {

    private static final Path DIR = Path.of("conformance");

    @Test
    void thePublicNpmClientAgreesWithTheEmulator() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean node = run(List.of("node", "--version"), DIR, 30).exitCode == 0;
        if (!ci) {
            assumeTrue(node, "node is not installed");
        }
        assertThat(node).as("node must be installed under CI").isTrue();
        if (!Files.isDirectory(DIR.resolve("node_modules/efficy-enterprise-api"))) {
            Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), DIR, 300);
            assertThat(install.exitCode).as("npm ci:\n%s", install.output).isZero();
        }
        try (EfficyEmulator efficy = EfficyEmulator.start().seedContacts(5, 7)) {
            Result result = run(
                    List.of("node", "conformance.mjs", efficy.baseUri().toString(), efficy.customer(), efficy.apiKey()),
                    DIR,
                    120);

            assertThat(result.exitCode)
                    .as("conformance.mjs:\n%s", result.output)
                    .isZero();
            assertThat(result.output).contains("11 passed, 0 failed");
            assertThat(efficy.contact(4)).containsEntry("NAME", "Edited by the npm client");
            assertThat(efficy.profilesOf(4)).doesNotContain(3L);
            List<Map<String, Object>> tasks = efficy.database()
                    .rows("select a.K_ACTION, u.K_USER from ACTIONS a join ACTI_USER u on u.K_ACTION = a.K_ACTION"
                            + " where a.SUBJECT = 'Call back (npm conformance)'");
            assertThat(tasks)
                    .singleElement()
                    .satisfies(t ->
                            assertThat(((Number) t.get("K_USER")).longValue()).isEqualTo(169));
            assertThat(efficy.sessionCount())
                    .as("one kept session, logged off at the end")
                    .isZero();
            assertThat(efficy.journal().entries())
                    .as("every request reused the first session")
                    .filteredOn(e -> e.route().startsWith("error:session"))
                    .isEmpty();
        }
        // The npm client sends executesqlquery's recordCount and loadBlobs in camelCase, which the
        // notes (§3.4, §8) say a real server ignores: the audit must see exactly those.
        assertThat(ProtocolAudit.drain())
                .extracting(ProtocolAudit.UnknownName::name)
                .containsExactlyInAnyOrder("loadBlobs", "recordCount");
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command, Path dir, int timeoutSeconds) throws InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        File log;
        try {
            log = File.createTempFile("crmsync-npm", ".log");
            log.deleteOnExit();
            pb.redirectOutput(log);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
    }
}

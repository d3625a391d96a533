package io.crmsync.cli.reliability;

import io.crmsync.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI in a child JVM, as an operator runs it: its output (at DEBUG) goes to a file the tests
 * scan, and it can be killed with SIGKILL or stopped with SIGTERM.
 */
public final class ChildCli {

    private final Process process;
    private final Path output;

    private ChildCli(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code crmsync <args>} with {@code env} added to the environment. */
    public static ChildCli start(Map<String, String> env, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-Dcrmsync.log.level=debug");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        pb.environment().putAll(env);
        return new ChildCli(pb.start(), output);
    }

    /** Waits for the exit status, or kills the child and fails after {@code timeout}. */
    public int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the CLI did not end within " + timeout + "; output in " + output);
        }
        return process.exitValue();
    }

    /** Whether it is still running. */
    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits for the process to be gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM (the JVM runs its shutdown hooks). */
    public void term() {
        process.destroy();
    }

    /** Everything the child printed so far. */
    public String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}

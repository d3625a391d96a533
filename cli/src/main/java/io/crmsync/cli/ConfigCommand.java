package io.crmsync.cli;

import io.crmsync.config.keys.KeyScope;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code crmsync config}: the configuration in effect, where each value came from, secrets masked. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Prints the configuration in effect (defaults too), with where each value came from; secrets and"
                + " passwords in URLs masked.")
final class ConfigCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    ConfigOptions options;

    ConfigCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try {
            boolean node = CliContext.isNodeFile(options);
            ctx.config(options, node ? KeyScope.NODE : KeyScope.FILE).describe().forEach(ctx.out::println);
            return ExitStatus.OK;
        } catch (RuntimeException e) {
            return ExitStatus.of("config", e, ctx.err);
        }
    }
}

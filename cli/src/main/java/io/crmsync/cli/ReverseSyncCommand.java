package io.crmsync.cli;

import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crmsync reverse-sync}. */
@Command(
        name = "reverse-sync",
        mixinStandardHelpOptions = true,
        description = "Brings e-mail events (opens, clicks, bounces, unsubscribes) back into Efficy.")
final class ReverseSyncCommand extends RunCommand {

    @Option(names = "--retry-quarantined", description = "also retry every parked event")
    boolean retryQuarantined;

    ReverseSyncCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    SyncReport run(SyncEngine engine) {
        return engine.reverseSync(retryQuarantined);
    }
}

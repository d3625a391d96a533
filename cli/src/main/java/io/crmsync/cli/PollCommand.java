package io.crmsync.cli;

import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import picocli.CommandLine.Command;

/** {@code crmsync poll}. */
@Command(
        name = "poll",
        mixinStandardHelpOptions = true,
        description = "Syncs the contacts changed in Efficy since the last poll.")
final class PollCommand extends RunCommand {

    PollCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    SyncReport run(SyncEngine engine) {
        return engine.pollChanges();
    }
}

package io.crmsync.cli;

import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import picocli.CommandLine.Command;

/** {@code crmsync sync-queries}. */
@Command(
        name = "sync-queries",
        mixinStandardHelpOptions = true,
        description = "Syncs each stored query (query.<n>.key) as an APSIS tag: members gain it, leavers lose it.")
final class SyncQueriesCommand extends RunCommand {

    SyncQueriesCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    SyncReport run(SyncEngine engine) {
        return engine.syncQueries();
    }
}

package io.crmsync.cli;

import io.crmsync.config.progress.ProgressLine;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.SyncReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crmsync full-sync}. */
@Command(
        name = "full-sync",
        mixinStandardHelpOptions = true,
        description = "Syncs every Efficy contact to APSIS (by import when many change); resumes after a crash.")
final class FullSyncCommand extends RunCommand {

    @Option(names = "--dry-run", description = "plan and count, write nothing")
    boolean dryRun;

    @Option(names = "--retry-quarantined", description = "also send contacts APSIS refused before")
    boolean retryQuarantined;

    @Option(
            names = "--progress",
            negatable = true,
            description = "a live line on standard error: read, written, quarantined, rate and ETA (default: on when"
                    + " a terminal is attached)")
    Boolean progress;

    private ProgressLine line;

    FullSyncCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    SyncListener listener() {
        boolean on = progress != null ? progress : System.console() != null;
        if (!on) {
            return SyncListener.NONE;
        }
        line = new ProgressLine(ctx.err);
        return line;
    }

    @Override
    void ended() {
        if (line != null) {
            line.finish();
        }
    }

    @Override
    SyncReport run(SyncEngine engine) {
        return engine.fullSync(FullSyncOptions.defaults().withDryRun(dryRun).withRetryQuarantined(retryQuarantined));
    }
}

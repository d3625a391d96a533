package io.crmsync.cli;

import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.SyncReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * A command that runs one job of the engine once and prints its report: {@code full-sync},
 * {@code poll}, {@code reverse-sync}, {@code sync-queries}. Package-private.
 */
abstract class RunCommand implements Callable<Integer> {

    final CliContext ctx;

    @Mixin
    ConfigOptions options;

    RunCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Whether the run quarantined contacts and wrote nothing at all: a run that did nothing it was for. */
    static boolean quarantinedEverythingItTouched(SyncReport r) {
        return !r.dryRun()
                && !r.quarantined().isEmpty()
                && r.created() + r.updated() + r.deleted() + r.consentChanges() + r.tagChanges() + r.written() == 0;
    }

    /** Runs the job. */
    abstract SyncReport run(SyncEngine engine);

    /** What else listens to the engine while the command runs (a progress line); none by default. */
    SyncListener listener() {
        return SyncListener.NONE;
    }

    /** Called when the run has ended, before its report is printed. */
    void ended() {}

    @Override
    public Integer call() {
        String name = getClass().getAnnotation(Command.class).name();
        return PairSession.run(ctx, name, options, null, listener(), session -> {
            SyncReport report;
            try {
                report = run(session.engine());
            } finally {
                ended();
            }
            ctx.out.println(report);
            report.quarantined()
                    .forEach(q -> ctx.out.println("quarantined " + q.kind() + " " + q.id() + ": " + q.reason()));
            if (quarantinedEverythingItTouched(report)) {
                ctx.err.println("crmsync: " + name + ": every contact it had to write was quarantined ("
                        + report.quarantined().size() + "), none written; the reasons are listed above");
                return ExitStatus.FAILED;
            }
            return ExitStatus.OK;
        });
    }
}

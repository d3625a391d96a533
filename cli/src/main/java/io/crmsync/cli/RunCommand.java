package io.crmsync.cli;

import io.crmsync.sync.SyncEngine;
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

    /** Runs the job. */
    abstract SyncReport run(SyncEngine engine);

    @Override
    public Integer call() {
        String name = getClass().getAnnotation(Command.class).name();
        return PairSession.run(ctx, name, options, session -> {
            SyncReport report = run(session.engine());
            ctx.out.println(report);
            report.quarantined()
                    .forEach(q -> ctx.out.println("quarantined " + q.kind() + " " + q.id() + ": " + q.reason()));
            return ExitStatus.OK;
        });
    }
}

package io.crmsync.cli;

import io.crmsync.config.SetupProblems;
import io.crmsync.config.jobs.JobCatalog;
import io.crmsync.config.webhook.WebhookCredentials;
import io.crmsync.sync.SetupReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code crmsync validate}: checks both accounts and what the configured jobs use, and only that
 * (reverse sync's Acti fields only when {@code schedule.reverseInterval} runs it, the tags only
 * with stored queries, the task's field only with a task webhook).
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Checks both accounts and what the configured jobs use; lists every problem (exit 3).")
final class ValidateCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    ConfigOptions options;

    ValidateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        return PairSession.run(ctx, "validate", options, session -> {
            JobCatalog catalog = JobCatalog.of(session.config());
            WebhookCredentials.from(session.config());
            SetupReport report = session.engine().validateSetup(catalog.jobs());
            if (report.isValid()) {
                ctx.out.println("setup is valid (Efficy " + report.efficyVersion() + " as " + report.efficyUser()
                        + "; jobs " + catalog.jobs() + ")");
                return ExitStatus.OK;
            }
            SetupProblems.of(report).forEach(p -> ctx.out.println("problem: " + p));
            return ExitStatus.INVALID_SETUP;
        });
    }
}

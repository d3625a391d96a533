package io.crmsync.cli;

import io.crmsync.cluster.ClusterNode;
import io.crmsync.cluster.LastRun;
import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.SyncMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crmsync tenant add|update|pause|resume|remove|list|full-sync|import}: a cluster's tenants, on
 * a node built from the node's file (not started). Package-private.
 */
@Command(
        name = "tenant",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Manages a cluster's tenants (--config is the node's file).")
final class TenantCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitStatus.USAGE;
    }

    /** The command with its subcommands. */
    static CommandLine tree(CliContext ctx) {
        CommandLine tenants = new CommandLine(new TenantCommand());
        for (Object sub : List.of(
                new Add(ctx),
                new Update(ctx),
                new Pause(ctx),
                new Resume(ctx),
                new Remove(ctx),
                new ListTenants(ctx),
                new FullSync(ctx),
                new TenantImportCommand(ctx))) {
            tenants.addSubcommand(sub);
        }
        return tenants;
    }

    /** The tenant a command is about. */
    static final class TenantId {
        @CommandLine.Parameters(index = "0", paramLabel = "TENANT", description = "the tenant id ([a-z0-9-], up to 40)")
        String id;
    }

    /** A command on one tenant: the node's file, the tenant, and what to do on a node (not started). */
    abstract static class Action implements Callable<Integer> {
        final CliContext ctx;

        @Mixin
        ConfigOptions options;

        @Mixin
        TenantId tenant;

        Action(CliContext ctx) {
            this.ctx = ctx;
        }

        /** Does the command's work; returns the exit status. */
        abstract int act(ClusterNode node, String id);

        @Override
        public Integer call() {
            String name = getClass().getAnnotation(Command.class).name();
            return NodeSession.run(ctx, "tenant " + name, options, (cfg, node) -> act(node, tenant.id));
        }
    }

    /** A tenant's file: the CLI's keys, secrets as {@code ${NAME}} references; its warnings printed. */
    abstract static class WithTenantFile extends Action {
        @Option(
                names = "--tenant-config",
                required = true,
                paramLabel = "FILE",
                description = "the tenant's properties: the CLI's keys, secrets as ${NAME} references")
        Path file;

        WithTenantFile(CliContext ctx) {
            super(ctx);
        }

        Properties tenantFile(ClusterNode node) {
            Properties p;
            try {
                p = CrmsyncConfig.load(file);
            } catch (ConfigException e) {
                throw new ConfigException(
                        "--tenant-config",
                        e.getMessage().substring(e.getMessage().indexOf(':') + 2));
            }
            List<String> warnings = node.admin().warnings(p);
            if (options.strict && warnings.stream().anyMatch(w -> w.contains(" is not a key"))) {
                throw new ConfigException("--tenant-config", "unknown keys (strict): " + String.join("; ", warnings));
            }
            warnings.forEach(w -> ctx.err.println("crmsync: warning: " + w));
            return p;
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Adds a tenant once its set-up validates (exit 3 lists the problems).")
    static final class Add extends WithTenantFile {
        Add(CliContext ctx) {
            super(ctx);
        }

        @Override
        int act(ClusterNode node, String id) {
            ctx.out.println("added " + node.admin().add(id, tenantFile(node)));
            return ExitStatus.OK;
        }
    }

    @Command(
            name = "update",
            mixinStandardHelpOptions = true,
            description = "Replaces a tenant's configuration once the new one validates.")
    static final class Update extends WithTenantFile {
        Update(CliContext ctx) {
            super(ctx);
        }

        @Override
        int act(ClusterNode node, String id) {
            ctx.out.println("updated " + node.admin().update(id, tenantFile(node)));
            return ExitStatus.OK;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stops a tenant's jobs; deliveries wait.")
    static final class Pause extends Action {
        Pause(CliContext ctx) {
            super(ctx);
        }

        @Override
        int act(ClusterNode node, String id) {
            ctx.out.println("paused " + node.admin().pause(id));
            return ExitStatus.OK;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused tenant.")
    static final class Resume extends Action {
        Resume(CliContext ctx) {
            super(ctx);
        }

        @Override
        int act(ClusterNode node, String id) {
            ctx.out.println("resumed " + node.admin().resume(id));
            return ExitStatus.OK;
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Removes a tenant and its scheduled work; --purge also deletes its state (GDPR erasure).")
    static final class Remove extends Action {
        @Option(names = "--purge", description = "delete the tenant's state too")
        boolean purge;

        Remove(CliContext ctx) {
            super(ctx);
        }

        @Override
        int act(ClusterNode node, String id) {
            boolean existed = node.admin().remove(id, purge);
            if (!existed) {
                ctx.err.println("crmsync: tenant remove: there is no tenant " + id
                        + (purge ? "; state left by an earlier removal, if any, is purged" : ""));
                return ExitStatus.USAGE;
            }
            ctx.out.println("removed " + id + (purge ? "; its state is purged" : ""));
            return ExitStatus.OK;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "Lists the tenants (never their values), each with its latest run: job, outcome, node and time.")
    static final class ListTenants implements Callable<Integer> {
        private final CliContext ctx;

        @Mixin
        ConfigOptions options;

        ListTenants(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            return NodeSession.run(ctx, "tenant list", options, (cfg, node) -> {
                Map<String, LastRun> last = node.admin().lastRuns();
                node.admin()
                        .list()
                        .forEach(t -> ctx.out.println(t.id() + (t.paused() ? " paused" : " active") + " v" + t.version()
                                + "; "
                                + Optional.ofNullable(last.get(t.id()))
                                        .map(LastRun::describe)
                                        .orElse("no run yet")));
                return ExitStatus.OK;
            });
        }
    }

    @Command(
            name = "full-sync",
            mixinStandardHelpOptions = true,
            description = "Queues a full sync of a tenant (one at a time per tenant); a node runs it.")
    static final class FullSync extends Action {
        @Option(names = "--mode", description = "AUTO (default), IMPORT or PER_PROFILE")
        SyncMode mode = SyncMode.AUTO;

        FullSync(CliContext ctx) {
            super(ctx);
        }

        @Override
        int act(ClusterNode node, String id) {
            boolean queued =
                    node.admin().requestFullSync(id, FullSyncOptions.defaults().withMode(mode));
            ctx.out.println(
                    queued ? "queued a full sync of " + id : "a full sync of " + id + " is queued or running already");
            return ExitStatus.OK;
        }
    }
}

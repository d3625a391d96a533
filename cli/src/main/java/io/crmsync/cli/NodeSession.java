package io.crmsync.cli;

import io.crmsync.cluster.ClusterNode;
import io.crmsync.cluster.NodeRuntime;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.KeyScope;
import java.util.function.BiFunction;

/**
 * A cluster node (not started unless the work starts it) for the length of a command, assembled
 * from the node's file by {@link NodeRuntime}; every failure becomes an {@link ExitStatus}.
 * Package-private.
 */
final class NodeSession {

    private NodeSession() {}

    /** Opens the node from the command's options, runs {@code work}, and maps failures to statuses. */
    static int run(
            CliContext ctx,
            String command,
            ConfigOptions options,
            BiFunction<CrmsyncConfig, ClusterNode, Integer> work) {
        try {
            CrmsyncConfig cfg = ctx.config(options, KeyScope.NODE);
            try (NodeRuntime runtime = NodeRuntime.open(cfg, ctx.env::get)) {
                return work.apply(cfg, runtime.node());
            }
        } catch (RuntimeException e) {
            return ExitStatus.of(command, e, ctx.err);
        }
    }
}

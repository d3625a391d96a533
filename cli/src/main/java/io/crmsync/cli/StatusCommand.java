package io.crmsync.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.cluster.ClusterStatus;
import io.crmsync.cluster.LastRun;
import io.crmsync.config.keys.KeyScope;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crmsync status}: with a {@code serve} file, what the running {@code serve}'s console
 * overview shows (its jobs' last and next runs, poll lag, imports in flight, the APSIS budget used),
 * asked through its console with the file's {@code console.token}; with a node's file, what runs in a cluster now, read from its database by any machine with
 * the node's file: the nodes (live or silent, and what each holds), every tenant with its latest
 * run, a queued full sync and failing deliveries, the executions due and overdue, and the failovers
 * of the last day. {@code --json} prints the same as one object, for scripts.
 *
 * <pre>
 * java -jar crmsync.jar status --config node.properties --json
 * </pre>
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Shows what a running serve does now (its console's overview), or what runs in the cluster now: nodes, tenants with their latest run and waiting work,"
                        + " due and overdue executions, failovers of the last day.")
final class StatusCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    ConfigOptions options;

    @Option(names = "--json", description = "one JSON object, for scripts")
    boolean json;

    StatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try {
            if (!CliContext.isNodeFile(options)) {
                return ServeStatus.print(ctx, ctx.config(options, KeyScope.FILE), json);
            }
        } catch (RuntimeException e) {
            return ExitStatus.of("status", e, ctx.err);
        }
        return NodeSession.run(ctx, "status", options, (cfg, node) -> {
            ClusterStatus s = node.admin().status();
            ctx.out.println(json ? json(s).toPrettyString() : text(s));
            return ExitStatus.OK;
        });
    }

    /** The status as one JSON object (times ISO 8601, absent values null). */
    static ObjectNode json(ClusterStatus s) {
        ObjectNode out = Exchange.object()
                .put("at", s.at().toString())
                .put("due", s.due())
                .put("overdue", s.overdue())
                .put("failoversLastDay", s.failoversLastDay())
                .put("apsisAccountsBusy", s.apsisAccountsBusy())
                .put("apsisAccountsAtLimit", s.apsisAccountsAtLimit());
        ArrayNode nodes = out.putArray("nodes");
        for (ClusterStatus.Node n : s.nodes()) {
            ArrayNode holding = nodes.addObject()
                    .put("name", n.name())
                    .put("live", n.live())
                    .put("startedAt", n.startedAt().toString())
                    .put("lastSeen", n.lastSeen().toString())
                    .put("running", n.running())
                    .putArray("holding");
            n.holding().forEach(holding::add);
        }
        ArrayNode tenants = out.putArray("tenants");
        for (ClusterStatus.TenantState t : s.tenants()) {
            ObjectNode o = tenants.addObject()
                    .put("id", t.id())
                    .put("paused", t.paused())
                    .put("version", t.version())
                    .put("fullSyncQueued", t.fullSyncQueued())
                    .put("failingDeliveries", t.failingDeliveries());
            if (t.lastRun().isPresent()) {
                LastRun r = t.lastRun().get();
                o.putObject("lastRun")
                        .put("job", r.job())
                        .put("node", r.node())
                        .put("started", r.started().toString())
                        .put("ended", r.ended().map(Object::toString).orElse(null))
                        .put("outcome", r.outcome().orElse(null));
            } else {
                o.putNull("lastRun");
            }
        }
        return out;
    }

    private static String text(ClusterStatus s) {
        StringBuilder b = new StringBuilder();
        long live = s.nodes().stream().filter(ClusterStatus.Node::live).count();
        b.append("nodes: ").append(live).append(" live");
        if (live < s.nodes().size()) {
            b.append(", ").append(s.nodes().size() - live).append(" silent");
        }
        b.append('\n');
        for (ClusterStatus.Node n : s.nodes()) {
            b.append("  ")
                    .append(n.name())
                    .append(n.live() ? " live" : " silent")
                    .append(", seen ")
                    .append(ago(Duration.between(n.lastSeen(), s.at())))
                    .append(" ago, running ")
                    .append(n.running())
                    .append(n.holding().isEmpty() ? "" : " (" + String.join(", ", n.holding()) + ")")
                    .append(", up since ")
                    .append(n.startedAt())
                    .append('\n');
        }
        long paused =
                s.tenants().stream().filter(ClusterStatus.TenantState::paused).count();
        b.append("tenants: ").append(s.tenants().size());
        b.append(paused > 0 ? " (" + paused + " paused)" : "").append('\n');
        for (ClusterStatus.TenantState t : s.tenants()) {
            b.append("  ")
                    .append(t.id())
                    .append(t.paused() ? " paused" : " active")
                    .append(" v")
                    .append(t.version())
                    .append("; ")
                    .append(t.lastRun().map(LastRun::describe).orElse("no run yet"));
            if (t.fullSyncQueued()) {
                b.append("; full sync queued");
            }
            if (t.failingDeliveries() > 0) {
                b.append("; ").append(t.failingDeliveries()).append(" failing deliveries");
            }
            b.append('\n');
        }
        b.append("executions: ")
                .append(s.due())
                .append(" due, ")
                .append(s.overdue())
                .append(" overdue (due over a minute)\nfailovers in the last day: ")
                .append(s.failoversLastDay())
                .append("\nAPSIS accounts: ")
                .append(s.apsisAccountsBusy())
                .append(" busy in the last minute, ")
                .append(s.apsisAccountsAtLimit())
                .append(" at their rate limit now");
        return b.toString();
    }

    private static String ago(Duration d) {
        return d.toMillis() < 10_000 ? String.format("%.1f s", d.toMillis() / 1000.0) : d.toSeconds() + " s";
    }
}

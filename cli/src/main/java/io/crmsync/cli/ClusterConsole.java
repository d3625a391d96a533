package io.crmsync.cli;

import io.crmsync.cluster.ClusterException;
import io.crmsync.cluster.ClusterNode;
import io.crmsync.cluster.ClusterStatus;
import io.crmsync.cluster.JournalRun;
import io.crmsync.cluster.PollLags;
import io.crmsync.cluster.SecretNamespace;
import io.crmsync.cluster.Tenant;
import io.crmsync.cluster.TenantAdmin;
import io.crmsync.cluster.TenantSetupException;
import io.crmsync.console.ConsoleBackend;
import io.crmsync.console.setup.SetupTarget;
import io.crmsync.console.view.ActionResult;
import io.crmsync.console.view.ClusterSummary;
import io.crmsync.console.view.Figure;
import io.crmsync.console.view.JobSummary;
import io.crmsync.console.view.NodeRow;
import io.crmsync.console.view.Overview;
import io.crmsync.console.view.QuarantineEntry;
import io.crmsync.console.view.RunEntry;
import io.crmsync.console.view.RunFilter;
import io.crmsync.console.view.TenantRow;
import io.crmsync.sync.FullSyncOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A cluster node's console: every tenant (from the registry), the run journal, each tenant's
 * quarantine (read from its state; a retry is queued as an Efficy change delivery, run by
 * whichever node picks it), the cluster page (nodes and what each holds, due and overdue work,
 * failovers) with pause, resume and full sync, and a set-up wizard that adds a tenant whose
 * secrets the node's secret store holds under the names {@code cluster.secretNames} allows. Every
 * node serves the same console from the shared database. Package-private.
 */
final class ClusterConsole implements ConsoleBackend {

    private final ClusterNode node;
    private final SecretNamespace secretNames;

    ClusterConsole(ClusterNode node, SecretNamespace secretNames) {
        this.node = node;
        this.secretNames = secretNames;
    }

    private TenantAdmin admin() {
        return node.admin();
    }

    @Override
    public String host() {
        return "cluster node " + node.name();
    }

    @Override
    public Overview overview() {
        Map<String, JobSummary> latest = new LinkedHashMap<>();
        for (JournalRun r : admin().runs(null, null, null, RunFilter.LIMIT)) {
            latest.putIfAbsent(
                    r.tenant() + " " + r.job(),
                    new JobSummary(
                            r.tenant(),
                            r.job(),
                            r.outcome().isEmpty(),
                            Optional.of(r.started()),
                            r.ended(),
                            r.outcome(),
                            Optional.empty(),
                            r.detail()));
        }
        ClusterStatus s = admin().status();
        long live = s.nodes().stream().filter(ClusterStatus.Node::live).count();
        List<Figure> figures = List.of(
                Figure.of("tenants", Integer.toString(s.tenants().size())),
                new Figure("live nodes", Long.toString(live), live < s.nodes().size()),
                Figure.of("executions due", Long.toString(s.due())),
                new Figure("overdue (over a minute)", Long.toString(s.overdue()), s.overdue() > 0),
                Figure.of("failovers, last day", Long.toString(s.failoversLastDay())),
                Figure.of("imports in flight", Long.toString(importsInFlight(s))),
                pollLag(),
                Figure.of("APSIS accounts busy, last minute", Long.toString(s.apsisAccountsBusy())),
                new Figure(
                        "APSIS accounts at their rate limit now",
                        Long.toString(s.apsisAccountsAtLimit()),
                        s.apsisAccountsAtLimit() > 0),
                Figure.of("deferred on this node", Long.toString(node.stats().executionsDeferred())));
        return new Overview(new ArrayList<>(latest.values()), figures);
    }

    /** The APSIS imports of the full syncs running now (only a running full sync has any). */
    private long importsInFlight(ClusterStatus s) {
        long n = 0;
        for (ClusterStatus.Node node : s.nodes()) {
            for (String held : node.holding()) {
                if (held.startsWith("crmsync-full-sync ")) {
                    n += admin().importsInFlight(held.substring("crmsync-full-sync ".length()));
                }
            }
        }
        return n;
    }

    private Figure pollLag() {
        PollLags lags = node.pollLags();
        return lags.worst().isEmpty()
                ? Figure.of("poll lag", "no poll yet")
                : new Figure(
                        "poll lag, worst tenant",
                        String.format(
                                "%s: %d s (%.1f intervals); %d tenants over 3",
                                lags.worst().get(0).tenant(),
                                lags.worst().get(0).lag().toSeconds(),
                                lags.maxIntervals(),
                                lags.lagging()),
                        lags.lagging() > 0);
    }

    @Override
    public List<String> tenants() {
        return admin().list().stream().map(Tenant::id).toList();
    }

    @Override
    public List<QuarantineEntry> quarantine(String tenant) {
        return admin().quarantined(tenant).stream()
                .limit(500)
                .map(q -> new QuarantineEntry(tenant, q.kind(), q.id(), q.reason(), q.at(), q.attempts()))
                .toList();
    }

    @Override
    public ActionResult retry(String tenant, String kind, String id) {
        if (!kind.equals("contact") || !id.matches("[0-9]{1,18}")) {
            return ActionResult.refused(kind + " records are retried by their own job (reverse sync) or sender");
        }
        try {
            boolean queued = admin().retryContact(tenant, Long.parseLong(id));
            return ActionResult.done("contact " + id + " of " + tenant + (queued ? " queued" : " was queued already")
                    + " for a retry: it leaves the quarantine when it syncs");
        } catch (ClusterException e) {
            return ActionResult.refused(e.getMessage());
        }
    }

    @Override
    public ActionResult retryAll(String tenant) {
        try {
            return admin().requestFullSync(tenant, FullSyncOptions.defaults().withRetryQuarantined(true))
                    ? ActionResult.done(
                            "a full sync of " + tenant + " that retries every quarantined contact is queued")
                    : ActionResult.refused("a full sync of " + tenant + " is queued or running already");
        } catch (ClusterException e) {
            return ActionResult.refused(e.getMessage());
        }
    }

    @Override
    public List<RunEntry> runs(RunFilter f) {
        return admin().runs(f.job(), f.tenant(), f.outcome(), RunFilter.LIMIT).stream()
                .map(r -> new RunEntry(
                        r.tenant(),
                        r.job(),
                        r.node(),
                        r.started(),
                        r.ended(),
                        r.outcome().orElse("running"),
                        r.detail()))
                .toList();
    }

    @Override
    public Optional<ClusterSummary> cluster() {
        ClusterStatus s = admin().status();
        List<NodeRow> nodes = s.nodes().stream()
                .map(n -> new NodeRow(
                        n.name(),
                        n.live(),
                        n.lastSeen(),
                        n.holding().stream().map(ClusterConsole::describe).toList()))
                .toList();
        List<TenantRow> tenants = s.tenants().stream()
                .map(t -> new TenantRow(
                        t.id(),
                        t.paused(),
                        t.lastRun().map(r -> r.describe()).orElse(""),
                        t.lastRun().flatMap(r -> r.outcome()).orElse(""),
                        t.fullSyncQueued(),
                        t.failingDeliveries()))
                .toList();
        return Optional.of(new ClusterSummary(s.at(), tenants, nodes, s.due(), s.overdue(), s.failoversLastDay()));
    }

    /** {@code crmsync-full-sync acme} as {@code acme fullSync} (the journal's job names); a delivery as {@code acme webhook}. */
    private static String describe(String held) {
        String[] parts = held.split(" ", 2);
        String task = switch (parts[0]) {
            case "crmsync-full-sync" -> "fullSync";
            case "crmsync-reverse-sync" -> "reverseSync";
            case "crmsync-queries" -> "queryTags";
            default -> parts[0].replaceFirst("^crmsync-", "");
        };
        String instance = parts.length > 1 ? parts[1] : "";
        String tenant = instance.contains("/") ? instance.substring(0, instance.indexOf('/')) : instance;
        return tenant + " " + task;
    }

    @Override
    public ActionResult pause(String tenant) {
        return act(() -> admin().pause(tenant), tenant + " paused: its jobs stop at their next turn");
    }

    @Override
    public ActionResult resume(String tenant) {
        return act(() -> admin().resume(tenant), tenant + " resumed");
    }

    @Override
    public ActionResult fullSync(String tenant) {
        try {
            return admin().requestFullSync(tenant, FullSyncOptions.defaults())
                    ? ActionResult.done("a full sync of " + tenant + " is queued")
                    : ActionResult.refused("a full sync of " + tenant + " is queued or running already");
        } catch (ClusterException e) {
            return ActionResult.refused(e.getMessage());
        }
    }

    private static ActionResult act(Runnable action, String done) {
        try {
            action.run();
            return ActionResult.done(done);
        } catch (ClusterException e) {
            return ActionResult.refused(e.getMessage());
        }
    }

    @Override
    public SetupTarget setup() {
        return new SetupTarget() {
            @Override
            public String describe() {
                return "Saving adds the tenant to the cluster (its set-up validated again by the node) and queues its"
                        + " first full sync. Its secrets are read from the nodes' secret store, under the names below:"
                        + " store them there first.";
            }

            @Override
            public boolean asksForTenant() {
                return true;
            }

            @Override
            public Map<String, String> secretNames(String tenant) {
                return names(tenant);
            }

            @Override
            public void checkCallable(String tenant, Properties config) {
                try {
                    admin().checkCallable(tenant, config);
                } catch (ClusterException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }

            @Override
            public ActionResult save(String tenant, Properties config, Map<String, String> secrets) {
                Properties stored = new Properties();
                stored.putAll(config);
                names(tenant).forEach((key, name) -> stored.setProperty(key, "${" + name + "}"));
                try {
                    admin().add(tenant, stored);
                } catch (TenantSetupException e) {
                    return ActionResult.refused("tenant " + tenant + " not added: " + String.join("; ", e.problems())
                            + " (are its secrets in the secret store as "
                            + String.join(", ", names(tenant).values()) + "?)");
                } catch (ClusterException e) {
                    return ActionResult.refused("tenant " + tenant + " not added: " + e.getMessage());
                }
                admin().requestFullSync(tenant, FullSyncOptions.defaults());
                return ActionResult.done("tenant " + tenant + " added; its first full sync is queued");
            }
        };
    }

    private Map<String, String> names(String tenant) {
        String prefix = secretNames.forTenant(tenant).replace("*", "");
        Map<String, String> names = new LinkedHashMap<>();
        names.put("efficy.apiKey", prefix + "EFFICYKEY");
        names.put("apsis.clientSecret", prefix + "APSISSECRET");
        names.replaceAll((k, v) -> v.toUpperCase(Locale.ROOT));
        return names;
    }
}

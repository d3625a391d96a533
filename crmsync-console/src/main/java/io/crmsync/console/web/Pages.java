package io.crmsync.console.web;

import io.crmsync.console.view.ClusterSummary;
import io.crmsync.console.view.Figure;
import io.crmsync.console.view.JobSummary;
import io.crmsync.console.view.NodeRow;
import io.crmsync.console.view.Overview;
import io.crmsync.console.view.QuarantineEntry;
import io.crmsync.console.view.RunEntry;
import io.crmsync.console.view.RunFilter;
import io.crmsync.console.view.TenantRow;
import java.util.List;

/**
 * The bodies of the overview, quarantine, runs, cluster and login pages (the frame is
 * {@link Layout}'s). Every value is escaped; every action is a POST form with the CSRF token.
 * Elements the browser tests read carry ids. Internal.
 */
public final class Pages {

    private Pages() {}

    /** The overview: figures, then every job. */
    public static String overview(Overview o) {
        Html h = new Html();
        h.raw("<h1>Overview</h1><div class=\"figures\">");
        for (Figure f : o.figures()) {
            h.raw("<div class=\"figure" + (f.warning() ? " warn" : "") + "\">")
                    .text(f.name())
                    .raw("<b>")
                    .text(f.value())
                    .raw("</b></div>");
        }
        h.raw("</div><h2>Jobs</h2><table id=\"jobs\"><tr><th>Tenant</th><th>Job</th><th>Last run</th><th>Outcome</th>"
                + "<th>Duration</th><th>Next run</th><th>Counts</th></tr>");
        if (o.jobs().isEmpty()) {
            h.raw("<tr><td colspan=\"7\">No job runs here yet.</td></tr>");
        }
        for (JobSummary j : o.jobs()) {
            String outcome = j.running() ? "running" : j.outcome().orElse("never ran");
            h.raw("<tr><td>")
                    .text(j.tenant())
                    .raw("</td><td>")
                    .text(j.job())
                    .raw("</td><td>")
                    .text(Html.time(j.lastStart()))
                    .raw("</td><td class=\"" + outcomeClass(outcome) + "\">")
                    .text(outcome)
                    .raw("</td><td>")
                    .text(j.duration().map(Html::duration).orElse("–"))
                    .raw("</td><td>")
                    .text(Html.time(j.nextRun()))
                    .raw("</td><td>")
                    .text(Html.mask(j.detail()))
                    .raw("</td></tr>");
        }
        return h.raw("</table>").toString();
    }

    /** The quarantine: a tenant picker (on a cluster), every record with retry, and retry all. */
    public static String quarantine(
            String mount, String csrf, List<String> tenants, String tenant, List<QuarantineEntry> entries) {
        Html h = new Html();
        h.raw("<h1>Quarantine</h1>");
        if (!tenants.isEmpty()) {
            h.raw("<form method=\"get\" action=\"")
                    .text(mount + "/quarantine")
                    .raw("\"><label>Tenant <select name=\"tenant\">");
            for (String t : tenants) {
                h.raw("<option" + (t.equals(tenant) ? " selected" : "") + ">")
                        .text(t)
                        .raw("</option>");
            }
            h.raw("</select> <button type=\"submit\">Show</button></label></form>");
        }
        if (!tenants.isEmpty() && tenant.isEmpty()) {
            return h.raw("<p>Pick a tenant.</p>").toString();
        }
        h.raw("<p id=\"quarantine-count\">")
                .text(entries.size() + " quarantined")
                .raw("</p>");
        if (!entries.isEmpty()) {
            h.button(mount + "/quarantine/retry-all", csrf, "Retry all", "tenant", tenant);
        }
        h.raw("<table id=\"quarantine\"><tr><th>Kind</th><th>Id</th><th>Reason</th><th>Last failed</th>"
                + "<th>Attempts</th><th></th></tr>");
        for (QuarantineEntry e : entries) {
            h.raw("<tr id=\"q-")
                    .text(e.kind() + "-" + e.id())
                    .raw("\"><td>")
                    .text(e.kind())
                    .raw("</td><td>")
                    .text(e.id())
                    .raw("</td><td>")
                    .text(Html.mask(e.reason()))
                    .raw("</td><td>")
                    .text(Html.time(e.at()))
                    .raw("</td><td>")
                    .text(e.attempts())
                    .raw("</td><td>");
            h.button(mount + "/quarantine/retry", csrf, "Retry", "tenant", tenant, "kind", e.kind(), "id", e.id());
            h.raw("</td></tr>");
        }
        return h.raw("</table>").toString();
    }

    /** The run journal with its filter. */
    public static String runs(String mount, RunFilter filter, List<RunEntry> runs) {
        Html h = new Html();
        h.raw("<h1>Runs</h1><form method=\"get\" action=\"")
                .text(mount + "/runs")
                .raw("\">");
        field(h, "Job", "job", filter.job());
        field(h, "Tenant", "tenant", filter.tenant());
        field(h, "Outcome", "outcome", filter.outcome());
        h.raw("<button type=\"submit\">Filter</button></form>");
        h.raw("<p>")
                .text(runs.size() + (runs.size() >= RunFilter.LIMIT ? "+ runs (the newest shown)" : " runs"))
                .raw("</p>");
        h.raw("<table id=\"runs\"><tr><th>Started</th><th>Tenant</th><th>Job</th><th>Node</th><th>Outcome</th>"
                + "<th>Ended</th><th>Detail</th></tr>");
        for (RunEntry r : runs) {
            h.raw("<tr><td>")
                    .text(Html.time(r.started()))
                    .raw("</td><td>")
                    .text(r.tenant())
                    .raw("</td><td>")
                    .text(r.job())
                    .raw("</td><td>")
                    .text(r.node())
                    .raw("</td><td class=\"" + outcomeClass(r.outcome()) + "\">")
                    .text(r.outcome())
                    .raw("</td><td>")
                    .text(Html.time(r.ended()))
                    .raw("</td><td>")
                    .text(Html.mask(r.detail()))
                    .raw("</td></tr>");
        }
        return h.raw("</table>").toString();
    }

    /** The cluster: waiting work, nodes with what they run, tenants with their actions. */
    public static String cluster(String mount, String csrf, ClusterSummary c) {
        Html h = new Html();
        h.raw("<h1>Cluster</h1><div class=\"figures\">");
        figure(h, "due", "executions due", Long.toString(c.due()), false);
        figure(h, "overdue", "overdue (over a minute)", Long.toString(c.overdue()), c.overdue() > 0);
        figure(h, "failovers", "failovers, last day", Long.toString(c.failoversLastDay()), false);
        figure(h, "read-at", "read at", Html.time(c.at()), false);
        h.raw(
                "</div><h2>Nodes</h2><table id=\"nodes\"><tr><th>Node</th><th>State</th><th>Last beat</th><th>Runs now</th></tr>");
        for (NodeRow n : c.nodes()) {
            h.raw("<tr id=\"node-")
                    .text(n.name())
                    .raw("\"><td>")
                    .text(n.name())
                    .raw("</td><td class=\"" + (n.live() ? "ok" : "bad") + "\">")
                    .text(n.live() ? "live" : "silent")
                    .raw("</td><td>")
                    .text(Html.time(n.lastSeen()))
                    .raw("</td><td class=\"running\">")
                    .text(n.running().isEmpty() ? "–" : String.join(", ", n.running()))
                    .raw("</td></tr>");
        }
        h.raw("</table><h2>Tenants</h2><table id=\"tenants\"><tr><th>Tenant</th><th>State</th><th>Latest run</th>"
                + "<th>Full sync</th><th>Failing deliveries</th><th></th></tr>");
        for (TenantRow t : c.tenants()) {
            h.raw("<tr id=\"tenant-")
                    .text(t.id())
                    .raw("\"><td>")
                    .text(t.id())
                    .raw("</td><td>")
                    .text(t.paused() ? "paused" : "active")
                    .raw("</td><td class=\"" + outcomeClass(t.lastOutcome()) + "\">")
                    .text(t.lastRun().isEmpty() ? "never ran" : t.lastRun())
                    .raw("</td><td>")
                    .text(t.fullSyncQueued() ? "queued" : "–")
                    .raw("</td><td>")
                    .text(t.failingDeliveries())
                    .raw("</td><td>");
            h.button(
                    mount + "/cluster/" + (t.paused() ? "resume" : "pause"),
                    csrf,
                    t.paused() ? "Resume" : "Pause",
                    "tenant",
                    t.id());
            h.button(mount + "/cluster/full-sync", csrf, "Full sync", "tenant", t.id());
            h.raw("</td></tr>");
        }
        return h.raw("</table>").toString();
    }

    /** The login form. */
    public static String login(String mount, String problem) {
        Html h = new Html();
        h.raw("<h1>Log in</h1>");
        if (problem != null) {
            h.raw("<p class=\"flash bad\" id=\"flash\">").text(problem).raw("</p>");
        }
        return h.raw("<form method=\"post\" action=\"")
                .text(mount + "/login")
                .raw("\"><label>Admin token <input type=\"password\" name=\"token\" id=\"token\""
                        + " autocomplete=\"current-password\" autofocus></label><button type=\"submit\" id=\"login\">"
                        + "Log in</button></form><p>The token is the host's <code>console.token</code>.</p>")
                .toString();
    }

    /** A short page for an error: what was wrong, never a stack trace. */
    public static String problem(String title, String message) {
        return new Html()
                .el("h1", title)
                .raw("<p class=\"bad\" id=\"problem\">")
                .text(message)
                .raw("</p>")
                .toString();
    }

    private static void field(Html h, String label, String name, String value) {
        h.raw("<label class=\"inline\">")
                .text(label)
                .raw(" <input name=\"" + name + "\" value=\"")
                .text(value)
                .raw("\"></label> ");
    }

    private static void figure(Html h, String id, String name, String value, boolean warning) {
        h.raw("<div class=\"figure" + (warning ? " warn" : "") + "\" id=\"figure-" + id + "\">")
                .text(name)
                .raw("<b>")
                .text(value)
                .raw("</b></div>");
    }

    private static String outcomeClass(String outcome) {
        return switch (outcome) {
            case "succeeded" -> "ok";
            case "failed", "abandoned", "fenced" -> "bad";
            default -> "";
        };
    }
}

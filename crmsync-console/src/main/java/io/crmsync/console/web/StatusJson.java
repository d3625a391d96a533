package io.crmsync.console.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.console.view.ClusterSummary;
import io.crmsync.console.view.Figure;
import io.crmsync.console.view.JobSummary;
import io.crmsync.console.view.NodeRow;
import io.crmsync.console.view.Overview;
import io.crmsync.console.view.TenantRow;
import java.time.Instant;
import java.util.Optional;

/**
 * The overview and cluster pages as one JSON object ({@code GET <console>/api/status}), for
 * {@code crmsync status} and scripts: times in ISO 8601, absent values null. Internal.
 */
public final class StatusJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {}

    /** The status of a host. */
    public static ObjectNode of(String host, Overview overview, Optional<ClusterSummary> cluster) {
        ObjectNode out = JSON.createObjectNode().put("host", host);
        ObjectNode figures = out.putObject("figures");
        for (Figure f : overview.figures()) {
            figures.put(f.name(), f.value());
        }
        ArrayNode jobs = out.putArray("jobs");
        for (JobSummary j : overview.jobs()) {
            ObjectNode o = jobs.addObject()
                    .put("tenant", j.tenant())
                    .put("job", j.job())
                    .put("running", j.running());
            time(o, "lastStart", j.lastStart());
            time(o, "lastEnd", j.lastEnd());
            o.put("outcome", j.outcome().orElse(null));
            o.put("durationMs", j.duration().map(d -> d.toMillis()).orElse(null));
            time(o, "nextRun", j.nextRun());
            o.put("detail", Html.mask(j.detail()));
        }
        cluster.ifPresent(c -> cluster(out.putObject("cluster"), c));
        return out;
    }

    private static void cluster(ObjectNode out, ClusterSummary c) {
        out.put("at", c.at().toString())
                .put("due", c.due())
                .put("overdue", c.overdue())
                .put("failoversLastDay", c.failoversLastDay());
        ArrayNode nodes = out.putArray("nodes");
        for (NodeRow n : c.nodes()) {
            ObjectNode o = nodes.addObject()
                    .put("name", n.name())
                    .put("live", n.live())
                    .put("lastSeen", n.lastSeen().toString());
            n.running().forEach(o.putArray("running")::add);
        }
        ArrayNode tenants = out.putArray("tenants");
        for (TenantRow t : c.tenants()) {
            tenants.addObject()
                    .put("id", t.id())
                    .put("paused", t.paused())
                    .put("lastRun", t.lastRun())
                    .put("lastOutcome", t.lastOutcome())
                    .put("fullSyncQueued", t.fullSyncQueued())
                    .put("failingDeliveries", t.failingDeliveries());
        }
    }

    private static void time(ObjectNode o, String name, Optional<Instant> at) {
        o.put(name, at.map(Instant::toString).orElse(null));
    }
}

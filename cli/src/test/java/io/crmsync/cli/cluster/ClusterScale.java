package io.crmsync.cli.cluster;

import io.crmsync.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster at scale (#26): many tenants on three {@code crmsync cluster} JVMs and one
 * PostgreSQL, on emulators in a JVM of their own that make each tenant's Efficy customer and APSIS
 * account on first use. The scenario: nodes up, tenants imported in bulk (validation deferred,
 * first full syncs queued), one node killed with SIGKILL in the middle of the first full syncs and
 * started again, every first full sync waited for, then polls measured for a window. Each phase's
 * figures are kept in {@link #figures}, in the order measured.
 */
final class ClusterScale implements AutoCloseable {

    record Node(String name, Process process, Path log, URI base) {}

    private static final Pattern PORTS =
            Pattern.compile("(Efficy emulator|APSIS One emulator): (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern SERVING = Pattern.compile("cluster node (\\S+) serving on (http://\\S+)");
    private static final Pattern IMPORTED = Pattern.compile("imported ([0-9,]+) of ([0-9,]+) tenants in ([0-9.]+) s");

    final int tenants;
    final Duration pollInterval;
    final String nodeHeap;
    final Map<String, String> figures = new LinkedHashMap<>();
    private final Path dir;
    private final String url;
    private final Map<String, String> env = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private Process emulators;
    private String efficyUrl;
    private String apsisUrl;

    ClusterScale(int tenants, Duration pollInterval, String nodeHeap) throws Exception {
        this.tenants = tenants;
        this.pollInterval = pollInterval;
        this.nodeHeap = nodeHeap;
        this.dir = Files.createTempDirectory("cluster-scale");
        this.url = ClusterDatabase.fresh();
        for (int i = 0; i < tenants; i++) {
            String id = id(i);
            String ref = "TENANT_" + id.toUpperCase(Locale.ROOT);
            env.put(ref + "_EFFICYKEY", id + "-key");
            env.put(ref + "_APSISSECRET", id + "-secret");
        }
    }

    static String id(int i) {
        return String.format("t%05d", i);
    }

    /** The emulators in a JVM of their own, making customers and accounts {@code t*} on first use. */
    void startEmulators() throws Exception {
        Path log = dir.resolve("emulators.log");
        List<String> command = List.of(
                java(),
                "-Xmx" + System.getProperty("crmsync.scale.emulatorHeap", "3g"),
                "-cp",
                System.getProperty("java.class.path"),
                "io.crmsync.testkit.Main",
                "both",
                "--relaxed",
                "--on-demand",
                "t");
        emulators = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        for (int i = 0; i < 600 && (efficyUrl == null || apsisUrl == null); i++) {
            Thread.sleep(100);
            Matcher m = PORTS.matcher(Files.readString(log));
            while (m.find()) {
                if (m.group(1).startsWith("Efficy")) {
                    efficyUrl = m.group(2);
                } else {
                    apsisUrl = m.group(2);
                }
            }
        }
        if (efficyUrl == null || apsisUrl == null) {
            throw new AssertionError("the emulators did not start: " + Files.readString(log));
        }
    }

    /** A node's file. */
    Path nodeFile(String name) throws IOException {
        Path file = dir.resolve(name + ".properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "cluster.jdbcUrl=" + url,
                        "cluster.nodeName=" + name,
                        "cluster.allowInsecureHttp=true",
                        "cluster.tenantHosts=127.0.0.1",
                        "cluster.journalRetention=P1D",
                        "serve.port=0"));
        return file;
    }

    /** Starts a node and waits until it serves. */
    Node startNode(String name) throws Exception {
        Path log = dir.resolve(name + ".log");
        List<String> command = List.of(
                java(),
                "-Xmx" + nodeHeap,
                "-XX:+UseG1GC",
                "-cp",
                System.getProperty("java.class.path"),
                "io.crmsync.cli.Main",
                "cluster",
                "--config",
                nodeFile(name).toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        for (int i = 0; i < 1200; i++) {
            Matcher m = SERVING.matcher(Files.readString(log));
            if (m.find()) {
                Node n = new Node(name, p, log, URI.create(m.group(2)));
                nodes.removeIf(old -> old.name().equals(name));
                nodes.add(n);
                return n;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not start: " + Files.readString(log));
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** Imports every tenant (validation deferred, first full syncs queued); records tenants added per second. */
    void importTenants() throws Exception {
        Path file = dir.resolve("tenants.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < tenants; i++) {
            String id = id(i);
            String ref = "TENANT_" + id.toUpperCase(Locale.ROOT);
            lines.append("{\"id\":\"")
                    .append(id)
                    .append("\",\"config\":{")
                    .append("\"efficy.url\":\"")
                    .append(efficyUrl)
                    .append("/crm\",")
                    .append("\"efficy.customer\":\"")
                    .append(id)
                    .append("\",")
                    .append("\"efficy.apiKey\":\"${")
                    .append(ref)
                    .append("_EFFICYKEY}\",")
                    .append("\"apsis.baseUrl\":\"")
                    .append(apsisUrl)
                    .append("\",")
                    .append("\"apsis.clientId\":\"")
                    .append(id)
                    .append("\",")
                    .append("\"apsis.clientSecret\":\"${")
                    .append(ref)
                    .append("_APSISSECRET}\",")
                    .append("\"apsis.section\":\"com.apsis1.sections.default\",")
                    .append("\"mapping.EMAIL1\":\"com.apsis1.attributes.email\",")
                    .append("\"mapping.FIRSTNAME\":\"com.apsis1.attributes.firstname\",")
                    .append("\"schedule.pollInterval\":\"")
                    .append(pollInterval)
                    .append("\",")
                    .append("\"schedule.queryInterval\":\"PT0S\"}}\n");
        }
        Files.writeString(file, lines);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = new Cli(env, print, print).run(new String[] {
            "tenant",
            "import",
            file.toString(),
            "--config",
            nodeFile("importer").toString(),
            "--defer-validation",
            "--full-sync"
        });
        String text = out.toString(StandardCharsets.UTF_8);
        Matcher m = IMPORTED.matcher(text);
        if (exit != Cli.OK || !m.find()) {
            throw new AssertionError("the import failed (" + exit + "): " + text);
        }
        double seconds = Double.parseDouble(m.group(3));
        figures.put(
                "tenants added per second", String.format("%.0f (%,d in %.1f s)", tenants / seconds, tenants, seconds));
    }

    /** What the slow lane asserts. */
    record Result(
            double pollP99, double pollMax, long polls, Duration slowestFailover, int revived, Duration deadLimit) {}

    /**
     * The whole scenario: emulators and three nodes up, an idle baseline, the import, a kill of
     * node-c once a third of the first full syncs are done (and its restart), every first full sync
     * waited for, then polls for {@code pollWindow}. Figures go to {@link #figures}.
     */
    Result run(Duration pollWindow) throws Exception {
        startEmulators();
        for (String name : List.of("node-a", "node-b", "node-c")) {
            startNode(name);
        }
        double[] before = heapAfterGc(nodes.get(0));
        Instant importStart = Instant.now();
        importTenants();
        Node victim = nodes.get(2);
        Instant killedAt = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
        while (fullSynced() < tenants && System.nanoTime() < deadline) {
            if (killedAt == null && fullSynced() >= tenants / 3) {
                kill(victim);
                killedAt = Instant.now();
                figures.put("killed", victim.name() + " with SIGKILL after " + fullSynced() + " first full syncs");
                startNode(victim.name() + "-again");
            }
            Thread.sleep(500);
        }
        if (fullSynced() < tenants) {
            throw new AssertionError("only " + fullSynced() + " of " + tenants + " first full syncs within an hour");
        }
        Duration allSynced = Duration.between(importStart, Instant.now());
        figures.put(
                "every first full sync done",
                String.format("%.0f s after the import began", allSynced.toMillis() / 1000.0));
        List<Duration> failovers = failovers(victim.name(), killedAt);
        Duration slowest = failovers.isEmpty() ? Duration.ZERO : failovers.get(failovers.size() - 1);
        figures.put(
                "failover",
                String.format(
                        "%d executions revived, the slowest started %.1f s after the kill (dead limit 10 s)",
                        failovers.size(), slowest.toMillis() / 1000.0));

        double[] cpu0 = nodes.stream().mapToDouble(ClusterScale::cpuSeconds).toArray();
        long tx0 = transactions();
        Instant windowStart = Instant.now();
        Thread.sleep(pollWindow.toMillis());
        double seconds = Duration.between(windowStart, Instant.now()).toMillis() / 1000.0;
        double[] polls = pollDelays(windowStart);
        figures.put(
                "polls every " + pollInterval.toSeconds() + " s, due to start",
                String.format(
                        "p50 %.2f s, p99 %.2f s, max %.2f s over %,d polls in %.0f s",
                        polls[0], polls[1], polls[2], (long) polls[3], seconds));
        figures.put(
                "PostgreSQL",
                String.format(
                        "%d connections, %.0f transactions/s, %,d rows in scheduled_tasks",
                        connections(), (transactions() - tx0) / seconds, taskRows()));
        StringBuilder perNode = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            double[] heap = heapAfterGc(n);
            perNode.append(String.format(
                    "%s %.0f%% of a core, heap after GC %.0f MB, %d threads; ",
                    n.name(), 100 * (cpuSeconds(n) - cpu0[i]) / seconds, heap[0], (long) heap[1]));
        }
        figures.put("nodes while polling", perNode.toString().replaceAll("; $", ""));
        double[] idle = heapAfterGc(nodes.get(0));
        figures.put(
                "an idle tenant on a node",
                String.format(
                        "%.1f kB of heap (%.0f MB before the import, %.0f MB after);" + " threads %d before, %d after",
                        (idle[0] - before[0]) * 1000 / tenants, before[0], idle[0], (long) before[1], (long) idle[1]));
        return new Result(polls[1], polls[2], (long) polls[3], slowest, failovers.size(), Duration.ofSeconds(10));
    }

    /** Tenants whose first full sync succeeded. */
    long fullSynced() throws Exception {
        return number(
                "select count(distinct tenant) from crmsync_cluster_run where job = 'fullSync' and outcome = 'succeeded'");
    }

    /** How long each revived run waited after the kill: the survivors' first start of each execution the killed node held. */
    List<Duration> failovers(String killed, Instant killedAt) throws Exception {
        List<Duration> out = new ArrayList<>();
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement(
                        "select a.tenant, a.job, min(n.started_at) from crmsync_cluster_run a"
                                + " join crmsync_cluster_run n on n.tenant = a.tenant and n.job = a.job and n.started_at > a.started_at"
                                + " and n.node <> a.node where a.node = ? and a.outcome = 'abandoned' group by a.tenant, a.job")) {
            ps.setString(1, killed);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Duration.between(killedAt, rs.getTimestamp(3).toInstant()));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Polls started since {@code from}: due-to-start p50, p99 and max in seconds, and how many. */
    double[] pollDelays(Instant from) throws Exception {
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement("select percentile_cont(0.5) within group (order by d),"
                        + " percentile_cont(0.99) within group (order by d), max(d), count(*) from (select"
                        + " extract(epoch from started_at - due_at) as d from crmsync_cluster_run where job = 'poll'"
                        + " and due_at is not null and started_at >= ?) x")) {
            ps.setTimestamp(1, Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getLong(4)};
            }
        }
    }

    /** Transactions committed so far in the database (for transactions per second). */
    long transactions() throws Exception {
        return number("select xact_commit + xact_rollback from pg_stat_database where datname = current_database()");
    }

    long connections() throws Exception {
        return number("select count(*) from pg_stat_activity where datname = current_database()");
    }

    long taskRows() throws Exception {
        return number("select count(*) from scheduled_tasks");
    }

    /** A node's heap after a full GC (jcmd), in MB, and its live threads. */
    double[] heapAfterGc(Node n) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(n.process().pid()), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor(60, TimeUnit.SECONDS);
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(n.base().resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        double heap = 0;
        double threads = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("jvm_threads_live_threads ")) {
                threads = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new double[] {heap / 1e6, threads};
    }

    /** A node's CPU time so far, in seconds. */
    static double cpuSeconds(Node n) {
        return n.process()
                .info()
                .totalCpuDuration()
                .map(d -> d.toMillis() / 1000.0)
                .orElse(Double.NaN);
    }

    void kill(Node n) throws InterruptedException {
        n.process().destroyForcibly();
        n.process().waitFor();
        nodes.remove(n);
    }

    private long number(String sql) throws Exception {
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection connection() throws Exception {
        return DriverManager.getConnection(url);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.process().destroyForcibly();
        }
        if (emulators != null) {
            emulators.destroyForcibly();
        }
    }
}

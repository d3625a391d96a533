package io.crmsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.cluster.TenantImport;
import io.crmsync.config.ConfigException;
import io.crmsync.sync.FullSyncOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crmsync tenant import FILE}: adds many tenants from a JSON-lines file, one tenant a line,
 * {@code {"id":"acme","config":{"efficy.url":"…","efficy.apiKey":"${TENANT_ACME_EFFICYKEY}",…}}}.
 * Each tenant is checked on its own and the others are added whatever one's problems; the answer
 * lists each refused tenant with its problems, then a summary with the rate. By default every
 * tenant's set-up is validated live against both services, {@code --parallel} at a time (8; each
 * tenant is its own APSIS account, whose limits hold per account); {@code --defer-validation}
 * checks only what needs no call (keys, URLs, secret names) and leaves the live check to each
 * tenant's first run, whose failure names the problem in the run journal. Exit 0 when every
 * tenant was added, 3 when some were refused, 2 for a file that cannot be read (line named).
 * Package-private.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Adds tenants in bulk from a JSON-lines file ({\"id\":…,\"config\":{…}} a line); each is"
                + " validated live unless --defer-validation (exit 3 lists the refused ones).")
final class TenantImportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CliContext ctx;

    @Mixin
    ConfigOptions options;

    @Parameters(index = "0", paramLabel = "FILE", description = "the tenants, one JSON object a line")
    Path file;

    @Option(names = "--defer-validation", description = "check offline only; each tenant's first run validates it")
    boolean deferValidation;

    @Option(names = "--parallel", paramLabel = "N", description = "tenants validated at once (default 8)")
    int parallel = 8;

    @Option(names = "--full-sync", description = "queue each added tenant's first full sync at once")
    boolean fullSync;

    TenantImportCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        return NodeSession.run(ctx, "tenant import", options, (cfg, node) -> {
            if (parallel < 1 || parallel > 64) {
                throw new ConfigException("--parallel", "must be 1 to 64, was " + parallel);
            }
            List<TenantImport> tenants = read(file);
            long start = System.nanoTime();
            List<TenantImport.Result> results = node.admin().importAll(tenants, !deferValidation, parallel);
            long added = 0;
            for (TenantImport.Result r : results) {
                if (r.added()) {
                    added++;
                    if (fullSync) {
                        node.admin().requestFullSync(r.id(), FullSyncOptions.defaults());
                    }
                } else {
                    ctx.out.println(r.id() + ": not added: " + String.join("; ", r.problems()));
                }
            }
            double seconds = Math.max(0.001, (System.nanoTime() - start) / 1e9);
            ctx.out.printf(
                    "imported %,d of %,d tenants in %.1f s (%.1f tenants/s, %s)%s%n",
                    added,
                    results.size(),
                    seconds,
                    added / seconds,
                    deferValidation ? "validation deferred to each first run" : "each validated live",
                    fullSync ? "; their first full syncs queued" : "");
            return added == results.size() ? ExitStatus.OK : ExitStatus.INVALID_SETUP;
        });
    }

    /** The file's tenants; a line that is not a tenant is named with its number. */
    static List<TenantImport> read(Path file) {
        List<TenantImport> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                out.add(tenant(line, file.getFileName() + ":" + number));
            }
        } catch (IOException e) {
            throw new ConfigException("FILE", file + " cannot be read: " + e.getMessage());
        }
        return out;
    }

    private static TenantImport tenant(String line, String where) {
        JsonNode json;
        try {
            json = JSON.readTree(line);
        } catch (IOException e) {
            throw new ConfigException(where, "not a JSON object");
        }
        if (json == null
                || !json.isObject()
                || !json.path("id").isTextual()
                || !json.path("config").isObject()) {
            throw new ConfigException(where, "a line is {\"id\":\"<tenant>\",\"config\":{<key>:<value>,…}}");
        }
        Properties config = new Properties();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.path("config").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new ConfigException(where, "config." + e.getKey() + " must be a string, number or boolean");
            }
            config.setProperty(e.getKey(), e.getValue().asText());
        }
        return new TenantImport(json.path("id").asText(), config);
    }
}

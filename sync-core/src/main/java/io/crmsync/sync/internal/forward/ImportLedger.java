package io.crmsync.sync.internal.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.apsis.ImportService;
import io.crmsync.apsis.imports.ImportJob;
import io.crmsync.apsis.imports.ImportJournal;
import io.crmsync.sync.state.StateStore;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full sync's record of its unsettled APSIS imports, kept in the state store (the checkpoint
 * {@value #CURSOR}, a JSON list) so that an import a crash, a lost answer or a failed upload left
 * behind is settled by the next full sync before it creates any import of its own. An entry holds
 * the import's id, section and upload URL with its form fields (a one-import upload grant that
 * expires with the URL, needed to give the import an empty file); it is removed once the import is
 * final. Used only under the full sync's lease. Internal.
 */
final class ImportLedger implements ImportJournal {

    static final String CURSOR = "fullSync.imports";
    private static final Logger LOG = LoggerFactory.getLogger(ImportLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateStore store;

    ImportLedger(StateStore store) {
        this.store = store;
    }

    @Override
    public synchronized void created(String section, ImportJob job) {
        ArrayNode entries = read();
        ObjectNode e = entries.addObject();
        e.put("section", section)
                .put("id", job.importId())
                .put("url", job.uploadUrl().toString())
                .put("expiresAt", job.uploadUrlExpiresAt());
        ObjectNode fields = e.putObject("fields");
        job.uploadFields().forEach(fields::put);
        write(entries);
    }

    @Override
    public synchronized void settled(String importId) {
        ArrayNode entries = read();
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).path("id").asText().equals(importId)) {
                entries.remove(i);
            }
        }
        write(entries);
    }

    /** The number of unsettled imports recorded. */
    synchronized int size() {
        return read().size();
    }

    /**
     * Settles every recorded import (see {@link ImportService#settle}); returns how many there were.
     * A failure leaves the rest recorded and is thrown: a new import would only queue behind them.
     */
    int settleAll(ImportService imports, String keyColumn) {
        List<JsonNode> entries = new ArrayList<>();
        read().forEach(entries::add);
        for (JsonNode e : entries) {
            Map<String, String> fields = new LinkedHashMap<>();
            e.path("fields")
                    .fields()
                    .forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
            ImportJob job = new ImportJob(
                    e.path("id").asText(),
                    URI.create(e.path("url").asText()),
                    fields,
                    e.path("expiresAt").asText(""));
            ImportService.Settled outcome = imports.settle(e.path("section").asText(), job, keyColumn);
            LOG.info("settled import {} left by an earlier run: {}", job.importId(), outcome);
            settled(job.importId());
        }
        return entries.size();
    }

    /** How many imports the ledger in {@code store} holds: 0 when it holds none or cannot be read. */
    static int count(StateStore store) {
        return store.cursor(CURSOR)
                .map(v -> {
                    try {
                        JsonNode n = JSON.readTree(v);
                        return n.isArray() ? n.size() : 0;
                    } catch (IOException e) {
                        return 0; // settled (and the ledger started again) by the next full sync
                    }
                })
                .orElse(0);
    }

    private ArrayNode read() {
        return store.cursor(CURSOR)
                .map(v -> {
                    try {
                        JsonNode n = JSON.readTree(v);
                        return n instanceof ArrayNode a ? a : JSON.createArrayNode();
                    } catch (IOException e) {
                        LOG.warn("the import ledger could not be read; starting a new one");
                        return JSON.createArrayNode();
                    }
                })
                .orElseGet(JSON::createArrayNode);
    }

    private void write(ArrayNode entries) {
        if (entries.isEmpty()) {
            store.deleteCursor(CURSOR);
        } else {
            store.saveCursor(CURSOR, entries.toString());
        }
    }
}

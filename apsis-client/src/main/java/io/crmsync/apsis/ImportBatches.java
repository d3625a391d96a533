package io.crmsync.apsis;

import io.crmsync.apsis.imports.ImportJournal;
import io.crmsync.apsis.imports.ImportOutcome;
import io.crmsync.apsis.imports.ImportRequest;
import io.crmsync.apsis.internal.Discriminators;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * {@link ImportService#run}: rows streamed into files below the size limit, one import per file,
 * with at most the client's number in flight. Package-private.
 */
final class ImportBatches {

    private final ImportService imports;
    private final long maxFileBytes;
    private final Semaphore inFlight;

    ImportBatches(ImportService imports, long maxFileBytes, Semaphore inFlight) {
        this.imports = imports;
        this.maxFileBytes = maxFileBytes;
        this.inFlight = inFlight;
    }

    List<ImportOutcome> run(
            String section,
            ImportRequest request,
            List<String> header,
            Iterator<List<String>> rows,
            ImportJournal journal) {
        Discriminators.require("section", section);
        if (!header.contains(request.keyColumn())) {
            throw new IllegalArgumentException("the CSV header lacks the key column " + request.keyColumn());
        }
        List<ImportOutcome> outcomes = new ArrayList<>();
        Deque<PendingImport> pending = new ArrayDeque<>();
        ImportFile file = null;
        try {
            List<String> carried = null;
            while (carried != null || rows.hasNext()) {
                file = imports.openFile(header, maxFileBytes);
                if (carried != null) {
                    file.append(carried); // fits: a row that alone exceeds the limit was refused already
                    carried = null;
                }
                while (rows.hasNext()) {
                    List<String> row = rows.next();
                    if (!file.append(row)) {
                        carried = row; // the file is full: the row opens the next one
                        break;
                    }
                }
                while (!pending.isEmpty() && inFlight.availablePermits() == 0) {
                    outcomes.add(imports.finish(section, pending.removeFirst(), journal));
                }
                pending.addLast(imports.submit(section, request, file, journal));
                file = null;
            }
            while (!pending.isEmpty()) {
                outcomes.add(imports.finish(section, pending.removeFirst(), journal));
            }
            return outcomes;
        } finally {
            pending.forEach(imports::abandon);
            if (file != null) {
                file.close();
            }
        }
    }
}

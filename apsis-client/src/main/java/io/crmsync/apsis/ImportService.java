package io.crmsync.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.apsis.error.ApsisNotFoundException;
import io.crmsync.apsis.error.ApsisTransportException;
import io.crmsync.apsis.imports.ImportJob;
import io.crmsync.apsis.imports.ImportJournal;
import io.crmsync.apsis.imports.ImportOutcome;
import io.crmsync.apsis.imports.ImportProgress;
import io.crmsync.apsis.imports.ImportRequest;
import io.crmsync.apsis.imports.ImportStatus;
import io.crmsync.apsis.internal.CsvWriter;
import io.crmsync.apsis.internal.Discriminators;
import io.crmsync.apsis.internal.ImportFiles;
import io.crmsync.client.Sleeper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * v2 CSV imports: create an import, upload its file as {@code multipart/form-data} to the upload
 * URL (with every {@code file_upload_body} field and no bearer token), and poll its status.
 *
 * <p>{@link #run} does the whole flow for any number of rows: it writes RFC 4180 CSV files, each
 * below the size limit (default just under APSIS's 50 MB), keeps at most 3 imports of this client
 * in flight (APSIS answers 429 beyond that) and at most 10 import creations a minute, and polls
 * with a growing interval. Memory does not grow with the rows. A caller that produces rows over
 * time and wants to overlap its work with the uploads streams them itself: {@link #openFile},
 * {@link ImportFile#append} until it is full, {@link #submit} (from any thread), and
 * {@link #finish} to await and settle each one, as the sync engine's full sync does.
 *
 * <p>The files hold personal data, so they are written to one directory
 * ({@code ApsisClient.Builder.importDirectory}, default {@code <java.io.tmpdir>/crmsync-imports-<user>}),
 * readable by their owner only where the file system allows it, each deleted as soon as its
 * upload ends; {@link #purgeLeftovers()} removes what a killed process left. Each import is
 * recorded in an {@link ImportJournal} before its upload, and {@link #settle} finishes one that a
 * crash left behind.
 *
 * <pre>{@code
 * List<ImportOutcome> outcomes = apsis.imports().run(section, request,
 *     List.of("crm_id", "email", "newsletter"), rows.iterator());
 * }</pre>
 */
public final class ImportService {

    private final ApsisTransport transport;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Semaphore inFlight;
    private final long maxFileBytes;
    private final Duration firstPoll;
    private final Duration maxPoll;
    private final Duration timeout;
    private final Path directory;
    private final boolean allowInsecureHttp;

    ImportService(
            ApsisTransport transport,
            ObjectMapper mapper,
            Clock clock,
            Sleeper sleeper,
            int importsInFlight,
            long maxFileBytes,
            Duration firstPoll,
            Duration timeout,
            Path directory,
            boolean allowInsecureHttp) {
        this.directory = directory;
        this.allowInsecureHttp = allowInsecureHttp;
        this.transport = transport;
        this.mapper = mapper;
        this.clock = clock;
        this.sleeper = sleeper;
        this.inFlight = new Semaphore(importsInFlight, true);
        this.maxFileBytes = maxFileBytes;
        this.firstPoll = firstPoll;
        this.maxPoll = Duration.ofSeconds(60).compareTo(firstPoll) > 0 ? Duration.ofSeconds(60) : firstPoll;
        this.timeout = timeout;
    }

    /** Creates an import ({@code POST /v2/audience/sections/{section}/imports}). Not retried. */
    public ImportJob create(String section, ImportRequest request) {
        Discriminators.require("section", section);
        ApsisRequest r;
        try {
            r = ApsisRequest.builder("POST", "/v2/audience/sections/{s}/imports", section)
                    .json(mapper.writeValueAsBytes(request.toJson(mapper)))
                    .kind(RateLimiter.Kind.IMPORT_CREATE)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode json = transport.object(transport.send(r), r);
        String id = json.path("import_id").asText("");
        String url = json.path("file_upload_url").asText("");
        if (id.isEmpty() || url.isEmpty()) {
            throw new ApsisTransportException(
                    "import answer lacks import_id or file_upload_url", r.method, r.logPath, "-", false, null);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        json.path("file_upload_body")
                .fields()
                .forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
        URI uploadUrl = ApsisUrls.fileUrl(url, "file_upload_url", allowInsecureHttp, r);
        return new ImportJob(
                id, uploadUrl, fields, json.path("file_upload_url_expires_at").asText(""));
    }

    /**
     * Uploads a CSV file for an import: a multipart POST to the job's upload URL with its form
     * fields first and the file last (storage services require that order). The file holds personal
     * data, so it must be the user's own {@code rw-------} regular file in a {@code rwx------}
     * directory of the user's (as {@link #run} writes them); anything else is refused before a byte
     * is sent, so another local user cannot swap its rows.
     *
     * @throws UncheckedIOException naming the file and what is wrong with it
     */
    public void upload(ImportJob job, Path csv) {
        ImportUpload.send(transport, job, csv);
    }

    /** Reads an import's status ({@code GET /audience/sections/{section}/imports/{id}}). */
    public ImportProgress status(String section, String importId) {
        Discriminators.require("section", section);
        ApsisRequest r = ApsisRequest.builder("GET", "/audience/sections/{s}/imports/{id}", section, importId)
                .idempotent()
                .build();
        JsonNode json = transport.object(transport.send(r), r);
        JsonNode result = json.has("result") ? json.get("result") : json;
        String status = result.path("status").asText("");
        if (status.isEmpty()) {
            throw new ApsisTransportException(
                    "import status answer has no status", r.method, r.logPath, "-", false, null);
        }
        return new ImportProgress(ImportStatus.of(status), result);
    }

    /**
     * Polls until the import completes or fails, waiting longer between polls (from the configured
     * first interval, doubling, up to a minute).
     *
     * @throws ApsisTransportException when the import timeout passes first
     */
    public ImportProgress await(String section, String importId) {
        Instant deadline = clock.instant().plus(timeout);
        Duration wait = firstPoll;
        while (true) {
            ImportProgress progress = status(section, importId);
            if (progress.status().isFinal()) {
                return progress;
            }
            if (clock.instant().plus(wait).isAfter(deadline)) {
                throw new ApsisTransportException(
                        "import " + importId + " not finished within " + timeout,
                        "GET",
                        "/audience/sections/" + section + "/imports/" + importId,
                        "-",
                        false,
                        null);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApsisTransportException(
                        "interrupted while waiting for import " + importId,
                        "GET",
                        "/audience/sections/" + section + "/imports/" + importId,
                        "-",
                        false,
                        e);
            }
            wait = wait.multipliedBy(2).compareTo(maxPoll) > 0 ? maxPoll : wait.multipliedBy(2);
        }
    }

    /**
     * Imports rows: writes them to CSV files below the size limit, then creates, uploads and awaits
     * one import per file, with at most the configured number in flight.
     *
     * @param header the column names (field selectors of the request)
     * @param rows the rows, each as long as the header
     * @return one outcome per file, in file order
     * @throws IllegalArgumentException when a row has the wrong length or alone exceeds the limit
     */
    public List<ImportOutcome> run(
            String section, ImportRequest request, List<String> header, Iterator<List<String>> rows) {
        return run(section, request, header, rows, ImportJournal.NONE);
    }

    /**
     * As {@link #run(String, ImportRequest, List, Iterator)}, recording each import in
     * {@code journal} before its upload and forgetting it once final.
     */
    public List<ImportOutcome> run(
            String section,
            ImportRequest request,
            List<String> header,
            Iterator<List<String>> rows,
            ImportJournal journal) {
        return new ImportBatches(this, maxFileBytes, inFlight).run(section, request, header, rows, journal);
    }

    /**
     * Opens a new import file in the import directory, below {@code maxBytes} (at most the client's
     * limit, {@code ApsisClient.Builder.importMaxFileBytes}), with the header written.
     *
     * @throws IllegalArgumentException when the header alone exceeds the limit
     */
    public ImportFile openFile(List<String> header, long maxBytes) {
        return new ImportFile(directory, header, Math.min(maxBytes, maxFileBytes));
    }

    /**
     * Creates an import, records it in {@code journal}, uploads {@code file} and deletes it (uploaded
     * or not: the personal data leaves the disk now). Waits first for one of the client's in-flight
     * places (3 by default: APSIS answers 429 beyond its pending-import limit), which the returned
     * import holds until {@link #finish} or {@link #abandon}. Thread-safe: several threads may submit.
     */
    public PendingImport submit(String section, ImportRequest request, ImportFile file, ImportJournal journal) {
        try {
            Discriminators.require("section", section);
            Path csv = file.seal();
            inFlight.acquireUninterruptibly();
            PendingImport pending = null;
            try {
                ImportJob job = create(section, request);
                pending = new PendingImport(job.importId(), file.rows(), inFlight);
                journal.created(section, job);
                upload(job, csv);
                return pending;
            } catch (RuntimeException e) {
                if (pending == null) {
                    inFlight.release();
                } else {
                    pending.release(); // recorded in the journal: the next run settles it
                }
                throw e;
            }
        } finally {
            file.close();
        }
    }

    /**
     * Awaits a submitted import ({@link #await}), forgets it in {@code journal} and gives its
     * in-flight place back, whatever happens.
     */
    public ImportOutcome finish(String section, PendingImport pending, ImportJournal journal) {
        try {
            ImportProgress progress = await(section, pending.importId());
            journal.settled(pending.importId());
            return new ImportOutcome(pending.importId(), pending.rows(), progress.status(), progress.result());
        } finally {
            pending.release();
        }
    }

    /**
     * Gives a submitted import's in-flight place back without awaiting it (a run that stops); the
     * import stays recorded in its journal for {@link #settle}. Idempotent.
     */
    public void abandon(PendingImport pending) {
        pending.release();
    }

    /**
     * Finishes an import an earlier run left unfinished (it was recorded in a journal but not
     * settled): a final or unknown import needs nothing; one still queued or in progress is awaited;
     * one still waiting for its file, while its upload URL is valid, is given a file with only the
     * key column's header, so it completes with no rows instead of holding one of the account's
     * pending-import places. Its rows are not lost: the run that created it never committed them, so
     * the next run sends them again.
     *
     * @param keyColumn the import's key column (its CSV header)
     * @return what became of it
     */
    public Settled settle(String section, ImportJob job, String keyColumn) {
        ImportProgress progress;
        try {
            progress = status(section, job.importId());
        } catch (ApsisNotFoundException e) {
            return Settled.GONE;
        }
        if (progress.status().isFinal()) {
            return Settled.ALREADY_FINAL;
        }
        if (progress.status() == ImportStatus.WAITING_FOR_FILE) {
            if (expired(job)) {
                return Settled.EXPIRED;
            }
            Path empty = null;
            try {
                empty = ImportFiles.create(directory);
                try (OutputStream out = Files.newOutputStream(empty)) {
                    new CsvWriter(out).writeRow(List.of(keyColumn));
                }
                upload(job, empty);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the import file in " + directory, e);
            } finally {
                if (empty != null) {
                    ImportFiles.delete(empty);
                }
            }
            await(section, job.importId());
            return Settled.GIVEN_UP;
        }
        await(section, job.importId());
        return Settled.AWAITED;
    }

    private boolean expired(ImportJob job) {
        if (job.uploadUrlExpiresAt().isEmpty()) {
            return false;
        }
        try {
            return !clock.instant().isBefore(Instant.parse(job.uploadUrlExpiresAt()));
        } catch (DateTimeParseException e) {
            return false; // unknown format: try the upload, which fails cleanly if it has expired
        }
    }

    /** What {@link #settle} did with an unfinished import. */
    public enum Settled {
        /** APSIS no longer knows it. */
        GONE,
        /** It had completed or failed already. */
        ALREADY_FINAL,
        /** It was queued or in progress, and has now finished. */
        AWAITED,
        /** It waited for its file: it was given an empty one and has completed with no rows. */
        GIVEN_UP,
        /** It waited for its file but its upload URL has expired: nothing more can be done with it. */
        EXPIRED
    }

    /**
     * Deletes import files a killed process left in the import directory. Call it when no import
     * of this directory is running (the engine does at the start of a full sync, under its lease).
     *
     * @return how many files it deleted
     */
    public int purgeLeftovers() {
        return ImportFiles.purge(directory);
    }

    /** The directory import files are written to. */
    public Path directory() {
        return directory;
    }
}

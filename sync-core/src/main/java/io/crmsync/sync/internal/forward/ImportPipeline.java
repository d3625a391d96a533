package io.crmsync.sync.internal.forward;

import io.crmsync.apsis.ImportFile;
import io.crmsync.apsis.ImportService;
import io.crmsync.apsis.PendingImport;
import io.crmsync.apsis.error.ApsisRateLimitException;
import io.crmsync.apsis.imports.ImportOutcome;
import io.crmsync.sync.ContactData;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.Job;
import io.crmsync.sync.SyncMode;
import io.crmsync.sync.internal.ProfileTarget;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.internal.plan.ContactPlan;
import io.crmsync.sync.internal.run.RunCounters;
import io.crmsync.sync.state.ContactSnapshot;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The full sync's import path, streamed: planned rows go straight into an import file (closed at
 * {@link FullSyncOptions#importMaxBytes()} or {@link FullSyncOptions#importBatchSize()} rows), while
 * the snapshots they will commit go to a {@link SnapshotSpool} on disk. A closed file is created,
 * uploaded and awaited on a worker thread while the next one is written, with up to
 * {@value #IN_FLIGHT} imports in flight; the worker commits it once APSIS has applied it (its spool
 * read back in chunks, one compare-and-set batch each), while the run reads on. Memory does not
 * grow with the import.
 *
 * <p>The checkpoint moves past a page only once everything the page wrote is committed, so a crash
 * re-reads what an unfinished import held (imports are upserts: sending a row twice does no harm).
 *
 * <p>In {@link SyncMode#AUTO} the import starts once {@code importThreshold} contacts need writing
 * within a window of {@value #WINDOW_FACTOR} times that many contacts read; fewer are written per
 * profile at the end of the window. Internal; used by one full sync run on its thread.
 */
final class ImportPipeline implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImportPipeline.class);
    static final int IN_FLIGHT = 3;
    static final int WINDOW_FACTOR = 20;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Services services;
    private final ProfileTarget target;
    private final ContactSyncer syncer;
    private final ContactReader reader;
    private final ImportWriter writer;
    private final ImportLedger ledger;
    private final FullSyncOptions options;
    private final RunCounters run;
    private final ImportService imports;
    private final SpooledRows rows;
    private ImportWriter.Layout layout;
    private ExecutorService workers;

    /** Importable contacts held until AUTO decides: import them, or write them per profile. */
    private final List<Held> held = new ArrayList<>();

    private long readSinceFirstHeld;
    private boolean importing;

    private ImportFile file;
    private SnapshotSpool.Writer spool;
    /** The sequence number of the rows being gathered now (held or in the open file). */
    private long seq;

    private long committedSeq = -1;
    private final Deque<Submitted> submitted = new ArrayDeque<>();
    private final Deque<Mark> marks = new ArrayDeque<>();

    ImportPipeline(
            Services services,
            ProfileTarget target,
            ContactSyncer syncer,
            ContactReader reader,
            ImportWriter writer,
            ImportLedger ledger,
            FullSyncOptions options,
            RunCounters run) {
        this.services = services;
        this.target = target;
        this.syncer = syncer;
        this.reader = reader;
        this.writer = writer;
        this.ledger = ledger;
        this.options = options;
        this.run = run;
        this.imports = services.apsis().imports();
        this.rows = new SpooledRows(services, syncer, reader, options, run);
        this.importing = options.mode() == SyncMode.IMPORT;
    }

    /** Takes a contact whose plan an import can carry whole. */
    void add(ContactData contact, ContactPlan plan, Optional<ContactSnapshot> previous) {
        if (importing) {
            write(plan, previous);
            return;
        }
        held.add(new Held(contact, plan, previous));
        if (held.size() >= options.importThreshold()) {
            importing = true;
            for (Held h : held) {
                write(h.plan, h.previous);
            }
            held.clear();
        }
    }

    /**
     * Ends a page: writes AUTO's held contacts per profile when the window has passed, commits the
     * imports that have finished, and checkpoints as far as everything before is committed.
     */
    void pageDone(long lastKey, int contactsRead) {
        if (!held.isEmpty()) {
            readSinceFirstHeld += contactsRead;
            if (readSinceFirstHeld >= (long) WINDOW_FACTOR * options.importThreshold()) {
                writeHeldPerProfile();
            }
        }
        long dependsOn;
        if (!held.isEmpty() || (file != null && file.rows() > 0)) {
            dependsOn = seq;
        } else if (!submitted.isEmpty()) {
            dependsOn = submitted.peekLast().seq;
        } else {
            dependsOn = committedSeq;
        }
        marks.addLast(new Mark(lastKey, dependsOn));
        while (!submitted.isEmpty() && submitted.peekFirst().future.isDone()) {
            commit(submitted.removeFirst());
        }
        checkpoint();
    }

    /** Sends and commits everything still open; returns once all is committed and checkpointed. */
    void finish() {
        if (!held.isEmpty()) {
            writeHeldPerProfile();
        }
        if (file != null && file.rows() > 0) {
            submitOpen();
        }
        while (!submitted.isEmpty()) {
            commit(submitted.removeFirst());
        }
        checkpoint();
    }

    private void writeHeldPerProfile() {
        List<ContactData> contacts = held.stream().map(Held::contact).toList();
        held.clear();
        readSinceFirstHeld = 0;
        syncer.processPage(contacts, run, options.retryQuarantined());
        committedSeq = seq; // nothing else holds this sequence number
        seq++;
    }

    private void write(ContactPlan plan, Optional<ContactSnapshot> previous) {
        if (file != null && file.rows() >= options.importBatchSize()) {
            submitOpen();
        }
        if (file == null) {
            open();
        }
        List<String> row = writer.row(plan);
        if (!file.append(row)) {
            submitOpen();
            open();
            file.append(row); // a row that alone exceeds the limit was refused by the first append
        }
        spool.write(
                new SnapshotSpool.Entry(syncer.nextSnapshot(plan, previous), plan.outcome(), plan.consentChanges()));
    }

    private void open() {
        if (layout == null) {
            layout = writer.layout();
        }
        file = imports.openFile(layout.header(), options.importMaxBytes());
        try {
            spool = SnapshotSpool.create(imports.directory());
        } catch (RuntimeException e) {
            file.close();
            file = null;
            throw e;
        }
    }

    /** Hands the open file to a worker (create, upload, await) and starts a new sequence number. */
    private void submitOpen() {
        ImportFile sending = file;
        spool.close();
        Path spooled = spool.file();
        file = null;
        spool = null;
        if (workers == null) {
            workers = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
                Thread t = new Thread(r, "crmsync-import-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        run.fence.check(); // a run that lost its lease starts no import
        String section = target.section();
        // The worker creates, uploads and awaits the import, then commits its rows itself, so that a
        // large commit overlaps the reading of the next pages instead of holding them up.
        Future<?> future = workers.submit(() -> {
            try {
                run.fence.check();
                ImportOutcome outcome;
                try {
                    PendingImport pending = imports.submit(section, layout.request(), sending, ledger);
                    outcome = imports.finish(section, pending, ledger);
                } catch (ApsisRateLimitException e) {
                    // APSIS keeps refusing new imports (its pending-import limit, perhaps held by imports
                    // another client made): the rows go per profile instead of failing the run. Profile
                    // writes are upserts, so rows an import may still apply later do no harm.
                    LOG.warn(
                            "APSIS refused a new import for longer than the throttle wait; writing {} contacts per profile",
                            sending.rows());
                    rows.writePerProfile(spooled);
                    return;
                }
                rows.commit(outcome, spooled);
            } finally {
                sending.close();
                SnapshotSpool.delete(spooled);
            }
        });
        submitted.addLast(new Submitted(seq, future, spooled, sending));
        seq++;
        while (submitted.size() > IN_FLIGHT) {
            commit(submitted.removeFirst());
        }
    }

    /** Waits until a submitted import is committed (by its worker); rethrows what ended it. */
    private void commit(Submitted s) {
        try {
            s.future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while awaiting an APSIS import", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("an APSIS import was cancelled", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            s.file.close();
            SnapshotSpool.delete(s.spool);
        }
        committedSeq = s.seq;
    }

    /** Saves the checkpoint past every page whose writes are all committed. */
    private void checkpoint() {
        Long key = null;
        while (!marks.isEmpty() && marks.peekFirst().dependsOn <= committedSeq) {
            key = marks.removeFirst().lastKey;
        }
        if (key != null) {
            run.fence.confirm(); // a run that lost its lease writes no checkpoint
            services.store().saveCursor(Job.FULL_SYNC.id(), Long.toString(key));
        }
    }

    /**
     * Stops what is still running after a failure: the open file and spools are deleted, imports
     * in flight are interrupted (the ledger keeps each one created, for the next run to settle).
     */
    @Override
    public void close() {
        if (file != null) {
            file.close();
            file = null;
        }
        if (spool != null) {
            try {
                spool.close();
            } catch (RuntimeException e) {
                // deleted below
            }
            SnapshotSpool.delete(spool.file());
            spool = null;
        }
        for (Submitted s : submitted) {
            s.future.cancel(true);
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("an APSIS import upload did not stop within 10 s; its file is deleted under it");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Submitted s : submitted) {
            s.file.close(); // a file whose upload never started (or was cut short) leaves the disk too
            SnapshotSpool.delete(s.spool);
        }
        submitted.clear();
    }

    private record Held(ContactData contact, ContactPlan plan, Optional<ContactSnapshot> previous) {}

    private record Submitted(long seq, Future<?> future, Path spool, ImportFile file) {}

    private record Mark(long lastKey, long dependsOn) {}
}

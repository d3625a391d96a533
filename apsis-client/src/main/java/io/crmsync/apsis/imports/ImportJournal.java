package io.crmsync.apsis.imports;

/**
 * Where {@link io.crmsync.apsis.ImportService#run} records each import it creates, before it
 * uploads the file, and forgets it once it is final, so that an import left unfinished by a crash,
 * a lost answer or a failed upload can be settled by the next run (see
 * {@link io.crmsync.apsis.ImportService#settle}) instead of blocking APSIS's pending-import limit.
 * Implementations write to durable storage; the sync engine keeps it in its state store.
 */
public interface ImportJournal {

    /** A journal that records nothing. */
    ImportJournal NONE = new ImportJournal() {
        @Override
        public void created(String section, ImportJob job) {}

        @Override
        public void settled(String importId) {}
    };

    /** An import was created in {@code section}; called before its upload. */
    void created(String section, ImportJob job);

    /** The import is final (completed, failed or given up); it needs nothing more. */
    void settled(String importId);
}

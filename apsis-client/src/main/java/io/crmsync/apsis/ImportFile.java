package io.crmsync.apsis;

import io.crmsync.apsis.internal.CsvWriter;
import io.crmsync.apsis.internal.ImportFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One CSV file being written for an import, below a size limit: {@link #append} writes a row when
 * it fits and says so, so that a caller streaming rows closes this file, submits it
 * ({@link ImportService#submit}) and opens the next. The file lives in the client's import
 * directory (owner-only) and is deleted by {@link ImportService#submit} after its upload, or by
 * {@link #close()} when it is abandoned. One thread writes; {@link #close()} may be called from any.
 *
 * <pre>{@code
 * try (ImportFile file = apsis.imports().openFile(header, 45L << 20)) {
 *   while (rows.hasNext() && file.append(rows.peek())) { rows.next(); }
 *   PendingImport p = apsis.imports().submit(section, request, file, journal);
 *   ImportOutcome outcome = apsis.imports().finish(section, p, journal);
 * }
 * }</pre>
 */
public final class ImportFile implements AutoCloseable {

    private final Path path;
    private final int columns;
    private final long maxBytes;
    private final OutputStream out;
    private final CsvWriter csv;
    private int rows;
    private boolean sealed;
    private boolean deleted;

    ImportFile(Path directory, List<String> header, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the import file limit must be positive, was " + maxBytes);
        }
        this.columns = header.size();
        this.maxBytes = maxBytes;
        try {
            this.path = ImportFiles.create(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create an import file in " + directory, e);
        }
        try {
            this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            this.csv = new CsvWriter(out);
            byte[] head = CsvWriter.encode(header);
            if (head.length > maxBytes) {
                throw new IllegalArgumentException(
                        "the import header alone exceeds the file size limit of " + maxBytes);
            }
            csv.write(head);
        } catch (IOException e) {
            ImportFiles.delete(path);
            throw new UncheckedIOException("could not write the import file in " + directory, e);
        } catch (RuntimeException e) {
            ImportFiles.delete(path);
            throw e;
        }
    }

    /**
     * Writes a row if the file stays within its limit.
     *
     * @return true when written; false when the file is full (the row was not written)
     * @throws IllegalArgumentException when the row has the wrong length, or alone (with the
     *     header) exceeds the limit, so that no file could ever take it
     * @throws IllegalStateException when the file was already submitted or closed
     */
    public boolean append(List<String> row) {
        if (sealed) {
            throw new IllegalStateException("the import file was already submitted or closed");
        }
        if (row.size() != columns) {
            throw new IllegalArgumentException(
                    "import row " + (rows + 1) + " has " + row.size() + " fields, the header has " + columns);
        }
        byte[] line = CsvWriter.encode(row);
        if (csv.bytesWritten() + line.length > maxBytes) {
            if (rows == 0) {
                throw new IllegalArgumentException("one import row alone exceeds the file size limit of " + maxBytes);
            }
            return false;
        }
        try {
            csv.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the import file " + path.getFileName(), e);
        }
        rows++;
        return true;
    }

    /** Data rows written. */
    public int rows() {
        return rows;
    }

    /** Bytes written, the header included. */
    public long bytes() {
        return csv.bytesWritten();
    }

    /** Flushes and closes the file for its upload; idempotent. */
    synchronized Path seal() {
        if (!sealed) {
            sealed = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the import file " + path.getFileName(), e);
            }
        }
        return path;
    }

    /** Deletes the file (uploaded or abandoned); idempotent, never throws. */
    @Override
    public synchronized void close() {
        if (!sealed) {
            sealed = true;
            try {
                out.close();
            } catch (IOException e) {
                // deleted below either way
            }
        }
        if (!deleted) {
            deleted = true;
            ImportFiles.delete(path);
        }
    }
}

package io.crmsync.apsis.internal;

import io.crmsync.client.ScratchFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The import files: {@link ScratchFiles} named {@code crmsync-import-<pid>-<random>.csv} in the
 * import directory (owner-only where the file system has POSIX permissions), so that a purge in
 * one process never deletes a file another live process is uploading. Internal.
 */
public final class ImportFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ImportFiles.class);
    private static final String PREFIX = "crmsync-import-";
    private static final String SUFFIX = ".csv";

    private ImportFiles() {}

    /** The default directory: {@code <java.io.tmpdir>/crmsync-imports-<user>}. */
    public static Path defaultDirectory() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "crmsync-imports-" + user);
    }

    /** Creates a new empty import file in {@code directory}, creating the directory if needed. */
    public static Path create(Path directory) throws IOException {
        return ScratchFiles.create(directory, PREFIX, SUFFIX);
    }

    /** Deletes an import file; a failure is logged, not thrown (the next start purges it). */
    public static void delete(Path file) {
        if (!ScratchFiles.delete(file)) {
            LOG.warn("could not delete import file {}; it is removed on the next start", file.getFileName());
        }
    }

    /** Deletes the import files in {@code directory} that no live process holds; returns how many. */
    public static int purge(Path directory) {
        int deleted = ScratchFiles.purge(directory, PREFIX, SUFFIX);
        if (deleted > 0) {
            LOG.info("deleted {} import file(s) an earlier process left in {}", deleted, directory);
        }
        return deleted;
    }
}

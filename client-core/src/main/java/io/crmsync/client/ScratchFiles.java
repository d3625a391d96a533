package io.crmsync.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scratch files that hold personal data for a while (CSV import files, the engine's import
 * spools) in a directory that several processes of one user may share: the directory is created
 * {@code rwx------} and each file {@code rw-------} where the file system has POSIX permissions,
 * and each file's name carries its process id ({@code <prefix><pid>-<random><suffix>}), so that
 * {@link #purge} deletes only what a dead process left (or what this process no longer holds),
 * never a file another live process is still writing or uploading. Thread-safe.
 *
 * <pre>{@code
 * Path file = ScratchFiles.create(directory, "crmsync-import-", ".csv");
 * try { ... } finally { ScratchFiles.delete(file); }
 * int leftovers = ScratchFiles.purge(directory, "crmsync-import-", ".csv");
 * }</pre>
 */
public final class ScratchFiles {

    private static final long PID = ProcessHandle.current().pid();
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private ScratchFiles() {}

    /** Creates a new empty scratch file in {@code directory} (created owner-only if missing), held by this process. */
    public static Path create(Path directory, String prefix, String suffix) throws IOException {
        ensureDirectory(directory);
        Path file = directory.resolve(prefix + PID + "-" + UUID.randomUUID() + suffix);
        if (posix(directory)) {
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        } else {
            Files.createFile(file);
        }
        HELD.add(file.toAbsolutePath());
        return file;
    }

    /**
     * Deletes a scratch file and lets go of it.
     *
     * @return false when it could not be deleted (a later {@link #purge} removes it)
     */
    public static boolean delete(Path file) {
        HELD.remove(file.toAbsolutePath());
        try {
            Files.deleteIfExists(file);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes the scratch files of {@code prefix} and {@code suffix} in {@code directory} that no
     * live process holds: those of processes that are gone, those of this process it has let go of,
     * and those named without a process id (older versions).
     *
     * @return how many it deleted
     */
    public static int purge(Path directory, String prefix, String suffix) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*" + suffix)) {
            for (Path f : files) {
                if (abandoned(f, prefix) && Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not purge the scratch files in " + directory, e);
        }
        return deleted;
    }

    private static boolean abandoned(Path f, String prefix) {
        String name = f.getFileName().toString().substring(prefix.length());
        int dash = name.indexOf('-');
        long pid;
        try {
            pid = dash > 0 ? Long.parseLong(name.substring(0, dash)) : -1;
        } catch (NumberFormatException e) {
            pid = -1; // named by an older version, without a process id
        }
        if (pid < 0) {
            return true;
        }
        if (pid == PID) {
            return !HELD.contains(f.toAbsolutePath());
        }
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static void ensureDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (posix(parent == null ? directory : parent)) {
                Files.createDirectory(
                        directory,
                        PosixFilePermissions.asFileAttribute(EnumSet.of(
                                PosixFilePermission.OWNER_READ,
                                PosixFilePermission.OWNER_WRITE,
                                PosixFilePermission.OWNER_EXECUTE)));
            } else {
                Files.createDirectory(directory);
            }
        } catch (FileAlreadyExistsException raced) {
            // another thread or process made it
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

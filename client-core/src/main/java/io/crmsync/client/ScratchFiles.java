package io.crmsync.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
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
 * never a file another live process is still writing or uploading. A directory that is a symbolic
 * link, belongs to another user or is not {@code rwx------} is refused ({@link #checkPrivate}), so
 * that another local user can neither read the files nor swap one before it is uploaded.
 * Thread-safe.
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
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int deleted = 0;
        try {
            checkPrivate(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
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
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            checkPrivate(directory);
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
            // another thread or process made it: it is checked below like any other
        }
        checkPrivate(directory);
    }

    /**
     * Checks that a directory is fit for personal data: a directory, not a symbolic link, owned by
     * the user this process runs as, and {@code rwx------}, so that no other local user can read,
     * add, swap or remove a file in it. File systems without POSIX permissions are not checked.
     *
     * @throws IOException naming the directory and what is wrong with it
     */
    public static void checkPrivate(Path directory) throws IOException {
        if (!posix(directory)) {
            return;
        }
        PosixFileAttributes a = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw new IOException(directory + " is a symbolic link; scratch files of personal data need a "
                    + "directory of the user's own, not a link");
        }
        if (!a.isDirectory()) {
            throw new IOException(directory + " is not a directory");
        }
        UserPrincipal self = processOwner();
        if (!a.owner().equals(self)) {
            throw new IOException(directory + " belongs to " + a.owner().getName() + ", not to " + self.getName()
                    + " who runs crmsync; scratch files of personal data need a directory of the user's own");
        }
        if (!a.permissions().equals(OWNER_ONLY)) {
            throw new IOException(directory + " is " + PosixFilePermissions.toString(a.permissions())
                    + "; scratch files of personal data need rwx------ (chmod 700 " + directory + ")");
        }
    }

    /**
     * Checks a scratch file before it is read again (an import file before each upload): a regular
     * file, not a link, in a private directory ({@link #checkPrivate}), the user's own and
     * {@code rw-------}.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static void checkFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            checkPrivate(parent);
        }
        if (!posix(file)) {
            return;
        }
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new IOException(file + " is not a regular file (a link or a device); refusing to read it");
        }
        if (!a.owner().equals(processOwner())
                || !a.permissions()
                        .equals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))) {
            throw new IOException(file + " is not this user's rw------- file; refusing to read it");
        }
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static volatile UserPrincipal processOwner;

    /** Who this process runs as: the owner of a file it creates (cached). */
    private static UserPrincipal processOwner() throws IOException {
        UserPrincipal known = processOwner;
        if (known == null) {
            Path probe = Files.createTempFile(".crmsync-owner-", ".probe");
            try {
                known = Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
            } finally {
                Files.deleteIfExists(probe);
            }
            processOwner = known;
        }
        return known;
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

package io.crmsync.apsis.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The import files' directory: created readable by its owner only ({@code rwx------}), each file
 * {@code rw-------} and named {@code crmsync-import-<random>.csv}, where the file system has POSIX
 * permissions. Internal.
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
    ensureDirectory(directory);
    Path file = directory.resolve(PREFIX + UUID.randomUUID() + SUFFIX);
    if (posix(directory)) {
      return Files.createFile(file, PosixFilePermissions.asFileAttribute(
          EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
    }
    return Files.createFile(file);
  }

  /** Deletes an import file; a failure is logged, not thrown (the next start purges it). */
  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete import file {} ({}); it is removed on the next start", file.getFileName(),
          e.getClass().getSimpleName());
    }
  }

  /** Deletes every import file in {@code directory}; returns how many. */
  public static int purge(Path directory) {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
      for (Path f : files) {
        if (Files.deleteIfExists(f)) {
          deleted++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not purge the import directory " + directory, e);
    }
    if (deleted > 0) {
      LOG.info("deleted {} import file(s) an earlier process left in {}", deleted, directory);
    }
    return deleted;
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
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        Files.createDirectory(directory, ownerOnly);
      } else {
        Files.createDirectory(directory);
      }
    } catch (FileAlreadyExistsException raced) {
      // another thread made it
    }
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}

package io.crmsync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchFilesTest {

    @TempDir
    Path dir;

    @Test
    void aPurgeDeletesWhatDeadProcessesLeftButNotWhatALiveProcessHolds() throws Exception {
        Path scratch = dir.resolve("scratch");
        Path held = ScratchFiles.create(scratch, "crmsync-import-", ".csv");
        Path letGo = ScratchFiles.create(scratch, "crmsync-import-", ".csv");
        Files.writeString(letGo, "x");
        // A file this process created and no longer holds, as a process that died keeps none.
        Path copyOfLetGo = scratch.resolve(letGo.getFileName().toString().replace(".csv", "-2.csv"));
        Files.move(letGo, copyOfLetGo);
        ScratchFiles.delete(letGo);
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Path otherLive = Files.createFile(scratch.resolve("crmsync-import-" + other.pid() + "-abc.csv"));
            long dead = deadPid();
            Path ofDead = Files.createFile(scratch.resolve("crmsync-import-" + dead + "-def.csv"));
            Path older = Files.createFile(scratch.resolve("crmsync-import-0b7c1e2a-no-pid.csv"));
            Path unrelated = Files.createFile(scratch.resolve("notes.txt"));

            assertThat(ScratchFiles.purge(scratch, "crmsync-import-", ".csv")).isEqualTo(3);

            assertThat(held).exists();
            assertThat(otherLive).as("a live process's file").exists();
            assertThat(copyOfLetGo).as("this process's file it no longer holds").doesNotExist();
            assertThat(ofDead).doesNotExist();
            assertThat(older).as("named without a process id").doesNotExist();
            assertThat(unrelated).exists();
        } finally {
            other.destroyForcibly();
        }
        assertThat(ScratchFiles.delete(held)).isTrue();
        assertThat(held).doesNotExist();
    }

    @Test
    void filesAndTheirDirectoryAreReadableByTheirOwnerOnly() throws Exception {
        Path file = ScratchFiles.create(dir.resolve("private"), "crmsync-spool-", ".bin");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                    .isEqualTo("rwx------");
        }
        ScratchFiles.delete(file);
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void aDirectoryOthersCanWriteOrThatIsALinkIsRefusedNamingWhatIsWrong() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path own = Files.createDirectory(
                dir.resolve("own"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(dir.resolve("link"), own);

        assertThatThrownBy(() -> ScratchFiles.create(open, "crmsync-import-", ".csv"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is rwxrwxrwx")
                .hasMessageContaining("chmod 700");
        assertThatThrownBy(() -> ScratchFiles.create(link, "crmsync-import-", ".csv"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> ScratchFiles.purge(link, "crmsync-import-", ".csv"))
                .hasMessageContaining("is a symbolic link");
        try (var files = Files.list(open)) {
            assertThat(files).as("nothing written in a refused directory").isEmpty();
        }
        Path created = ScratchFiles.create(own, "crmsync-import-", ".csv");
        ScratchFiles.checkFile(created);
        ScratchFiles.delete(created);
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws Exception {
        Path theirs = Files.createDirectory(
                dir.resolve("theirs"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        UserPrincipal nobody =
                dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Path other;
        try {
            Files.setOwner(theirs, nobody);
            other = theirs;
        } catch (IOException notRoot) {
            other = Path.of("/"); // root's, and a user who is not root cannot give a directory away
        }
        Path refused = other;

        assertThatThrownBy(() -> ScratchFiles.create(refused, "crmsync-import-", ".csv"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to " + Files.getOwner(refused).getName());
    }

    @Test
    void aScratchFileSwappedForALinkOrLoosenedIsRefusedBeforeItIsReadAgain() throws Exception {
        Path file = ScratchFiles.create(dir.resolve("scratch"), "crmsync-import-", ".csv");
        Path elsewhere = Files.writeString(dir.resolve("their-rows.csv"), "x");
        Files.delete(file);
        Files.createSymbolicLink(file, elsewhere);

        assertThatThrownBy(() -> ScratchFiles.checkFile(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not a regular file");
        Files.delete(file);
        Files.writeString(file, "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> ScratchFiles.checkFile(file)).hasMessageContaining("rw------- file");
    }
}

package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.ApsisListener;
import io.crmsync.sync.state.InMemoryStateStore;
import io.crmsync.testkit.http.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Imports that a failure left unfinished: recorded before their upload, settled by the next run
 * before it creates any of its own, never piling up behind APSIS's limit of pending imports; and
 * their files, which hold personal data, never left on disk.
 */
class ImportRecoveryTest {

    private static final String UPLOADS = "/uploads/";
    private static final FullSyncOptions BY_IMPORT = FullSyncOptions.defaults()
            .withMode(SyncMode.IMPORT)
            .withPageSize(200)
            .withImports(200, 1);

    private final Emulated env = new Emulated(600);

    @AfterEach
    void stop() {
        env.close();
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static long expectedProfiles(SyncEngine engine, Emulated env) {
        return 600 - engine.stateStore().quarantined().size();
    }

    @Test
    void importsLeftWaitingForTheirFileAreSettledByTheNextRunInsteadOfBlockingIt() throws IOException {
        InMemoryStateStore store = new InMemoryStateStore();
        ApsisClient apsis = Emulated.apsisClientBuilder(env.apsis).build();
        // Three runs whose every upload fails: each leaves the imports it had in flight (up to three)
        // waiting for their file. Before, the fourth run waited on 429 "too many pending imports" and
        // failed.
        for (int run = 0; run < 3; run++) {
            env.apsis.faults().next(1_000, UPLOADS, Fault.connectionReset());
            try (SyncEngine engine = env.engine(b -> b.apsis(apsis).stateStore(store))) {
                assertThatThrownBy(() -> engine.fullSync(BY_IMPORT)).isNotInstanceOf(AssertionError.class);
            }
            env.apsis.faults().clear();
            assertThat(files(apsis.imports().directory()))
                    .as("no import file left after a failed upload")
                    .isEmpty();
        }
        assertThat(env.apsis.pendingImports()).isBetween(1, 3);
        assertThat(store.cursor("fullSync.imports"))
                .as("the unsettled import is recorded")
                .isPresent();
        assertThat(SyncEngine.importsInFlight(store))
                .as("what the console shows as imports in flight")
                .isBetween(1, 3);

        SyncReport report;
        try (SyncEngine engine = env.engine(b -> b.apsis(apsis).stateStore(store))) {
            report = engine.fullSync(BY_IMPORT);
            assertThat(env.apsis.profileCount()).isEqualTo(expectedProfiles(engine, env));
        }
        assertThat(report.created()).isPositive();
        assertThat(env.apsis.pendingImports()).as("nothing pending").isZero();
        assertThat(store.cursor("fullSync.imports"))
                .as("nothing left to settle")
                .isEmpty();
        assertThat(SyncEngine.importsInFlight(store)).isZero();
        assertThat(files(apsis.imports().directory())).isEmpty();
    }

    @Test
    void anImportWhoseCreationAnswerArrivedButWhoseRunDiedIsSettledAndItsRowsAreSentAgain() {
        InMemoryStateStore store = new InMemoryStateStore();
        ApsisClient apsis = Emulated.apsisClientBuilder(env.apsis).build();
        // The upload's answer is lost after the upload happened: the import is queued in APSIS, the
        // run failed before reading its outcome and committed nothing of it.
        env.apsis.faults().next(1, UPLOADS, Fault.answerLost());
        env.apsis.faults().next(10, UPLOADS, Fault.status(503));
        try (SyncEngine engine = env.engine(b -> b.apsis(apsis).stateStore(store))) {
            assertThatThrownBy(() -> engine.fullSync(BY_IMPORT)).isNotInstanceOf(AssertionError.class);
        }
        env.apsis.faults().clear();
        try (SyncEngine engine = env.engine(b -> b.apsis(apsis).stateStore(store))) {
            engine.fullSync(BY_IMPORT);
            assertThat(env.apsis.profileCount()).isEqualTo(expectedProfiles(engine, env));
        }
        assertThat(env.apsis.pendingImports()).isZero();
        assertThat(store.cursor("fullSync.imports")).isEmpty();
    }

    @Test
    void whenApsisKeepsRefusingNewImportsTheBatchIsWrittenPerProfile() {
        InMemoryStateStore store = new InMemoryStateStore();
        ApsisClient apsis = Emulated.apsisClientBuilder(env.apsis)
                .maxThrottleWait(Duration.ofSeconds(2))
                .build();
        env.apsis.faults().next(1_000, "/imports", Fault.tooManyRequests(Duration.ofSeconds(1)));
        SyncReport report;
        try (SyncEngine engine = env.engine(b -> b.apsis(apsis).stateStore(store))) {
            report = engine.fullSync(BY_IMPORT);
            assertThat(env.apsis.profileCount()).isEqualTo(expectedProfiles(engine, env));
        }
        assertThat(report.created()).isEqualTo(env.apsis.profileCount());
        assertThat(env.apsis.journal().count(SyncEngineRunsTest.CREATE)).isEqualTo(env.apsis.profileCount());
    }

    @Test
    void importFilesAreWrittenOwnerOnlyAndLeftoversOfAKilledProcessArePurgedOnTheNextStart() throws IOException {
        InMemoryStateStore store = new InMemoryStateStore();
        Set<String> seenModes = ConcurrentHashMap.newKeySet();
        Path[] dirOf = new Path[1];
        ApsisClient apsis = Emulated.apsisClientBuilder(env.apsis)
                .listener(new ApsisListener() {
                    @Override
                    public void requestStart(String route, String requestId, int attempt) {
                        if (route.startsWith("POST /upload")) { // the file exists while it is uploaded
                            try (Stream<Path> s = Files.list(dirOf[0])) {
                                s.filter(f -> f.getFileName().toString().startsWith("crmsync-import-"))
                                        .forEach(f -> seenModes.add(modeOf(f)));
                            } catch (IOException e) {
                                seenModes.add("unreadable: " + e);
                            }
                        }
                    }
                })
                .build();
        Path dir = apsis.imports().directory();
        dirOf[0] = dir;
        try (SyncEngine engine = env.engine(b -> b.apsis(apsis).stateStore(store))) {
            engine.fullSync(BY_IMPORT); // creates the directory
        }
        // What a kill during an import leaves behind.
        Path leftover = Files.writeString(dir.resolve("crmsync-import-0b1c.csv"), "crm_id,a0\n1,anna@example.com\n");
        Path unrelated = Files.writeString(dir.resolve("notes.txt"), "kept");
        try (SyncEngine engine = env.engine(b -> b.apsis(apsis).stateStore(store))) {
            engine.fullSync(BY_IMPORT);
        }
        assertThat(leftover).doesNotExist();
        assertThat(unrelated).exists();
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                    .isEqualTo("rwx------");
            assertThat(seenModes).as("import files while uploaded").containsOnly("rw-------");
        }
        assertThat(files(dir)).containsExactly(unrelated);
    }

    private static String modeOf(Path f) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
        } catch (IOException e) {
            return "gone";
        }
    }
}

package io.crmsync.console.setup;

import io.crmsync.config.CrmsyncConfig;
import io.crmsync.console.view.ActionResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code serve}'s set-up target: writes the wizard's keys into the host's properties file, keeping
 * the keys the file already holds that the wizard does not set (the console's token, the store,
 * the port), then tells the host. The file is the secret store {@code serve} uses, so the secrets
 * are written into it; it is written owner-only ({@code rw-------} where the file system has
 * POSIX permissions) and replaced atomically, so a crash leaves the old file or the new one. The
 * whole file is validated (every value) before it is written; nothing is written when a value is
 * wrong. Thread-safe.
 *
 * <pre>{@code
 * SetupTarget target = new PropertiesFileTarget(Path.of("crmsync.properties"), System::getenv, file -> startPair(file));
 * }</pre>
 */
public final class PropertiesFileTarget implements SetupTarget {

    private final Path file;
    private final Function<String, String> references;
    private final Consumer<Path> onSaved;

    /**
     * A target writing {@code file}.
     *
     * @param file the properties file (it may not exist yet)
     * @param references what {@code ${NAME}} references in the file resolve to (the environment)
     * @param onSaved called with the file once it is written
     */
    public PropertiesFileTarget(Path file, Function<String, String> references, Consumer<Path> onSaved) {
        this.file = Objects.requireNonNull(file, "file");
        this.references = Objects.requireNonNull(references, "references");
        this.onSaved = Objects.requireNonNull(onSaved, "onSaved");
    }

    @Override
    public String describe() {
        return "Saving writes " + file.toAbsolutePath() + " (owner-only, with the secrets), then starts syncing: a"
                + " full sync first, then polls.";
    }

    @Override
    public boolean asksForTenant() {
        return false;
    }

    @Override
    public synchronized ActionResult save(String tenant, Properties config, Map<String, String> secrets) {
        Properties merged = new Properties();
        if (Files.exists(file)) {
            merged.putAll(CrmsyncConfig.load(file));
        }
        merged.putAll(config);
        secrets.forEach(merged::setProperty);
        try {
            CrmsyncConfig.of(merged, references).checkValues();
        } catch (RuntimeException e) {
            return ActionResult.refused("not saved: " + e.getMessage());
        }
        try {
            write(merged);
        } catch (UncheckedIOException e) {
            return ActionResult.refused("not saved: " + file + " could not be written: "
                    + e.getCause().getMessage());
        }
        onSaved.accept(file);
        return ActionResult.done("Saved " + file.getFileName() + "; syncing starts now");
    }

    private void write(Properties p) {
        StringBuilder text = new StringBuilder(
                "# crmsync: written by the console's set-up; the secrets are in this file," + " keep it owner-only\n");
        for (Map.Entry<Object, Object> e : new TreeMap<>(p).entrySet()) {
            Properties one = new Properties();
            one.setProperty(e.getKey().toString(), e.getValue().toString());
            StringWriter w = new StringWriter();
            try {
                one.store(w, null);
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
            w.toString()
                    .lines()
                    .filter(l -> !l.startsWith("#"))
                    .forEach(l -> text.append(l).append('\n'));
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path temp = Files.createTempFile(dir, ".crmsync", ".properties");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: its default ACLs apply
            }
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "PropertiesFileTarget{" + file + "}";
    }
}

package io.crmsync.sync.internal.forward;

import io.crmsync.client.ScratchFiles;
import io.crmsync.sync.internal.plan.ContactPlan;
import io.crmsync.sync.state.ContactSnapshot;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshots an import will commit once APSIS has applied it, kept on disk beside the import
 * file (one record per CSV row, in row order) instead of in memory, so that an import of hundreds of
 * thousands of rows costs no heap while it is written, uploaded and awaited. Attribute values are
 * kept as their {@link ContactSnapshot#digest} only: the spool holds no address or name in clear.
 * Spools are {@link ScratchFiles}: one a killed process left is deleted by {@link #purge}, one a
 * live process holds is not. Internal.
 */
final class SnapshotSpool {

    private static final String PREFIX = "crmsync-spool-";
    private static final String SUFFIX = ".bin";
    /** A digest's length: {@code sha256:} and 32 hex digits. */
    private static final int DIGEST_LENGTH = ContactSnapshot.DIGEST_PREFIX.length() + 32;

    private SnapshotSpool() {}

    /** One spooled row: the snapshot to commit and what to count when it is committed. */
    record Entry(ContactSnapshot next, ContactPlan.Outcome outcome, int consentChanges) {}

    /** Creates a spool file in {@code directory} (owner-only where the file system allows it). */
    static Writer create(Path directory) {
        try {
            return new Writer(ScratchFiles.create(directory, PREFIX, SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException("could not create an import spool in " + directory, e);
        }
    }

    /** Deletes the spools in {@code directory} that no live process holds; returns how many. */
    static int purge(Path directory) {
        return ScratchFiles.purge(directory, PREFIX, SUFFIX);
    }

    static void delete(Path file) {
        ScratchFiles.delete(file); // one it could not delete is purged at the next full sync's start
    }

    /** Appends entries; {@link #close} before reading. */
    static final class Writer implements AutoCloseable {
        private final Path file;
        private final DataOutputStream out;
        private final Map<String, Integer> keys = new HashMap<>();
        private int count;

        private Writer(Path file) throws IOException {
            this.file = file;
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        }

        Path file() {
            return file;
        }

        int count() {
            return count;
        }

        void write(Entry e) {
            ContactSnapshot s = e.next();
            try {
                out.writeLong(s.contactKey());
                out.writeLong(s.version());
                out.writeUTF(s.fingerprint());
                out.writeShort(s.attributes().size());
                for (Map.Entry<String, Object> a : s.attributes().entrySet()) {
                    writeKey(a.getKey());
                    out.write(ContactSnapshot.digest(a.getValue()).getBytes(StandardCharsets.ISO_8859_1)); // ASCII
                }
                out.writeShort(s.consents().size());
                for (Map.Entry<String, Boolean> c : s.consents().entrySet()) {
                    writeKey(c.getKey());
                    out.writeBoolean(c.getValue());
                }
                out.writeBoolean(s.matched());
                out.writeBoolean(s.profileCreated());
                out.writeLong(s.updatedAt().getEpochSecond());
                out.writeInt(s.updatedAt().getNano());
                out.writeByte(e.outcome().ordinal());
                out.writeInt(e.consentChanges());
                count++;
            } catch (IOException ex) {
                throw new UncheckedIOException("could not write the import spool " + file.getFileName(), ex);
            }
        }

        /**
         * An attribute or slot name: in full the first time (after -1), then by its number (the same
         * few names are on every row).
         */
        private void writeKey(String key) throws IOException {
            Integer id = keys.get(key);
            if (id != null) {
                out.writeShort(id);
                return;
            }
            if (keys.size() < Short.MAX_VALUE) {
                keys.put(key, keys.size());
            }
            out.writeShort(-1);
            out.writeUTF(key);
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the import spool " + file.getFileName(), e);
            }
        }
    }

    /** Reads a closed spool in chunks, in row order. */
    static final class Reader implements AutoCloseable {
        private final Path file;
        private final DataInputStream in;
        private final List<String> keys = new ArrayList<>();
        private final byte[] digest = new byte[DIGEST_LENGTH];

        Reader(Path file) {
            this.file = file;
            try {
                this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the import spool " + file.getFileName(), e);
            }
        }

        private String readKey() throws IOException {
            short id = in.readShort();
            if (id >= 0) {
                return keys.get(id);
            }
            String key = in.readUTF();
            if (keys.size() < Short.MAX_VALUE) {
                keys.add(key);
            }
            return key;
        }

        /** Up to {@code max} next entries; empty at the end. */
        List<Entry> next(int max) {
            List<Entry> chunk = new ArrayList<>(Math.min(max, 1024));
            try {
                while (chunk.size() < max) {
                    long key;
                    try {
                        key = in.readLong();
                    } catch (EOFException end) {
                        break;
                    }
                    long version = in.readLong();
                    String fingerprint = in.readUTF();
                    Map<String, Object> attributes = new HashMap<>();
                    for (int i = in.readShort(); i > 0; i--) {
                        String name = readKey();
                        in.readFully(digest);
                        attributes.put(name, new String(digest, StandardCharsets.ISO_8859_1));
                    }
                    Map<String, Boolean> consents = new HashMap<>();
                    for (int i = in.readShort(); i > 0; i--) {
                        consents.put(readKey(), in.readBoolean());
                    }
                    boolean matched = in.readBoolean();
                    boolean profileCreated = in.readBoolean();
                    Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
                    ContactPlan.Outcome outcome = ContactPlan.Outcome.values()[in.readByte()];
                    int consentChanges = in.readInt();
                    chunk.add(new Entry(
                            new ContactSnapshot(
                                    key, version, fingerprint, attributes, consents, matched, profileCreated, at),
                            outcome,
                            consentChanges));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the import spool " + file.getFileName(), e);
            }
            return chunk;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // read-only: nothing lost
            }
        }
    }
}

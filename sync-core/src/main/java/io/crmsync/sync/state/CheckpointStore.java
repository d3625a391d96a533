package io.crmsync.sync.state;

import java.util.Optional;

/**
 * The role of a state store that keeps named cursors: the poll cursor, a full sync's checkpoint,
 * the reverse sync's window. A value is opaque text to the store. Implementations are
 * thread-safe.
 */
public interface CheckpointStore {

    /** A named cursor. */
    Optional<String> cursor(String name);

    /** Stores a named cursor. */
    void saveCursor(String name, String value);

    /** Forgets a named cursor. */
    void deleteCursor(String name);
}

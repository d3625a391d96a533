package io.crmsync.efficy.contact;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where contact paging resumes: either "every contact after key K" (a full walk) or "contacts
 * changed at or after time T, after key K among those changed exactly at T" (following
 * {@code D_CHANGE}, with ties broken by key so no change is skipped or read twice).
 *
 * <p>A cursor is a small immutable value. To persist one, store {@link #lastKey()} and
 * {@link #changedAt()} and rebuild it with the factories.
 */
public final class ContactCursor {

    private final long lastKey;
    private final LocalDateTime changedAt;

    private ContactCursor(long lastKey, LocalDateTime changedAt) {
        if (lastKey < 0) {
            throw new IllegalArgumentException("lastKey must not be negative, was " + lastKey);
        }
        this.lastKey = lastKey;
        this.changedAt = changedAt;
    }

    /** Every contact, from the smallest key. */
    public static ContactCursor start() {
        return new ContactCursor(0, null);
    }

    /** Every contact whose key is greater than {@code lastKey}. */
    public static ContactCursor afterKey(long lastKey) {
        return new ContactCursor(lastKey, null);
    }

    /**
     * Contacts changed after {@code changedAt}, plus those changed exactly at {@code changedAt}
     * whose key is greater than {@code lastKey}.
     */
    public static ContactCursor changedSince(LocalDateTime changedAt, long lastKey) {
        return new ContactCursor(lastKey, Objects.requireNonNull(changedAt, "changedAt"));
    }

    /** The last key already read (0 for none). */
    public long lastKey() {
        return lastKey;
    }

    /** The change time of the last contact read, for a changed-since cursor. */
    public Optional<LocalDateTime> changedAt() {
        return Optional.ofNullable(changedAt);
    }

    /** Whether this cursor follows changes rather than walking all contacts. */
    public boolean isChangedSince() {
        return changedAt != null;
    }

    /**
     * The keyset parameters a source sends for this cursor: the last key, or the change time twice
     * and then the last key (see {@link SqlContactSource#DEFAULT_CHANGED_SQL}).
     */
    List<String> keysetParameters(DateTimeFormatter timestampFormat) {
        if (changedAt == null) {
            return List.of(Long.toString(lastKey));
        }
        String at = timestampFormat.format(changedAt);
        return List.of(at, at, Long.toString(lastKey));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContactCursor
                && ((ContactCursor) o).lastKey == lastKey
                && Objects.equals(((ContactCursor) o).changedAt, changedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastKey, changedAt);
    }

    @Override
    public String toString() {
        return changedAt == null
                ? "ContactCursor{afterKey=" + lastKey + "}"
                : "ContactCursor{changedSince=" + changedAt + ", afterKey=" + lastKey + "}";
    }
}

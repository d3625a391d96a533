package io.crmsync.efficy.contact;

import java.util.List;
import java.util.Objects;

/**
 * What to read in a page of contacts: where to resume, which fields, how many rows, and whether
 * the Profile memberships come in the same request. Immutable; each {@code with} method returns a
 * copy. Defaults: no extra fields (the key and change fields are always read), 500 rows, with
 * memberships.
 *
 * <pre>{@code
 * efficy.contacts().pages(ContactPageRequest.from(ContactCursor.start()).fields(List.of("NAME", "EMAIL1")).pageSize(200))
 * }</pre>
 *
 * @param cursor where to resume
 * @param fields the fields to read
 * @param pageSize rows per page, at least 1
 * @param withProfiles whether Profile ({@code Prof}) memberships are read in the same request
 */
public record ContactPageRequest(ContactCursor cursor, List<String> fields, int pageSize, boolean withProfiles) {

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException for a page size below 1
     */
    public ContactPageRequest {
        Objects.requireNonNull(cursor, "cursor");
        fields = List.copyOf(fields);
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1, was " + pageSize);
        }
    }

    /** A request from {@code cursor} with the defaults. */
    public static ContactPageRequest from(ContactCursor cursor) {
        return new ContactPageRequest(cursor, List.of(), 500, true);
    }

    /** The same request with these fields. */
    public ContactPageRequest fields(List<String> fields) {
        return new ContactPageRequest(cursor, fields, pageSize, withProfiles);
    }

    /** The same request with this page size. */
    public ContactPageRequest pageSize(int pageSize) {
        return new ContactPageRequest(cursor, fields, pageSize, withProfiles);
    }

    /** The same request with or without the Profile memberships. */
    public ContactPageRequest withProfiles(boolean withProfiles) {
        return new ContactPageRequest(cursor, fields, pageSize, withProfiles);
    }

    /** The same request resuming at {@code next}. */
    public ContactPageRequest at(ContactCursor next) {
        return new ContactPageRequest(next, fields, pageSize, withProfiles);
    }
}

package io.crmsync.efficy.contact;

import io.crmsync.efficy.rpc.RpcFunc;
import java.util.List;

/**
 * Where contact pages come from. Efficy's JSON-RPC API has no paging of its own, so pages are read
 * by keyset: "after key K ordered by key", or "changed since T, then by key".
 *
 * <p>Two sources ship, configured through {@link #sqlBuilder()} ({@code executesqlquery}, the
 * default; needs the "SQL Exec" right) and {@link #storedQueries(long)} (stored queries the
 * customer defines); their implementations are not public.
 */
public interface ContactSource {

    /** The default: SQL on {@code CONTACTS} keyed by {@code K_CONTACT}, see {@link SqlContactSourceBuilder}. */
    static ContactSource sql() {
        return sqlBuilder().build();
    }

    /** Configures the SQL source: table, field names and SQL templates. */
    static SqlContactSourceBuilder sqlBuilder() {
        return new SqlContactSourceBuilder();
    }

    /**
     * Configures a source on the customer's stored queries, for accounts without the "SQL Exec"
     * right.
     *
     * @param allQuery K_QUERY of the all-contacts query
     */
    static StoredQueryContactSourceBuilder storedQueries(long allQuery) {
        return new StoredQueryContactSourceBuilder(allQuery);
    }

    /** The key field of contact rows (K_CONTACT by default). */
    String keyField();

    /** The change-time field of contact rows (D_CHANGE by default). */
    String changedField();

    /** The field of membership rows holding the contact key. */
    String membershipContactField();

    /** The field of membership rows holding the Profile key. */
    String membershipProfileField();

    /**
     * The function that reads one page of contacts.
     *
     * @param cursor where to resume
     * @param fields the fields to read; already checked, and including the key and change fields
     * @param pageSize the maximum number of rows
     */
    RpcFunc pageFunc(ContactCursor cursor, List<String> fields, int pageSize);

    /**
     * The function that reads the Profile memberships of exactly the contacts {@link #pageFunc}
     * returns, so both travel in one request.
     */
    RpcFunc membershipFunc(ContactCursor cursor, int pageSize);
}

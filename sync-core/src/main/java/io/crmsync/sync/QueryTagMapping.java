package io.crmsync.sync;

/**
 * An Efficy stored query (a row of QUERIES) synced as an APSIS tag: contacts the query returns
 * gain the tag, contacts that leave it lose it. The query's rows must carry the contact key
 * ({@code K_CONTACT} by default).
 *
 * @param queryKey K_QUERY
 * @param tag the tag discriminator
 * @param keyField the column holding K_CONTACT
 */
public record QueryTagMapping(long queryKey, String tag, String keyField) {

    /** Checks the parts. */
    public QueryTagMapping {
        if (queryKey <= 0) {
            throw new IllegalArgumentException("query key must be positive, was " + queryKey);
        }
        if (tag == null || tag.isBlank()) {
            throw new IllegalArgumentException("tag discriminator must not be blank");
        }
        if (keyField == null || !keyField.matches("[A-Za-z0-9_$]+")) {
            throw new IllegalArgumentException("key field must match [A-Za-z0-9_$]+, was '" + keyField + "'");
        }
    }

    /** A mapping whose rows carry K_CONTACT. */
    public static QueryTagMapping of(long queryKey, String tag) {
        return new QueryTagMapping(queryKey, tag, "K_CONTACT");
    }
}

package io.crmsync.efficy.contact;

import io.crmsync.efficy.internal.EfficyNames;
import java.util.Objects;

/**
 * Configures the stored-query contact source: pages read with stored queries ({@code query} with
 * {@code key} = K_QUERY) that the customer defines in Efficy, for accounts without the "SQL Exec"
 * right. The queries page by keyset themselves: the all-contacts query receives parameter 1 = last
 * key; the changed-since query receives parameter 1 = parameter 2 = last change time and
 * parameter 3 = last key; the membership queries take the same plus the page size as the last
 * one. Defaults: {@link QueryParameterStyle#NAMED}, fields {@code K_CONTACT}, {@code D_CHANGE},
 * memberships {@code K_CONTACT}, {@code K_PROFILE}.
 *
 * <pre>{@code
 * ContactSource source = ContactSource.storedQueries(31).changedQuery(32).membershipQueries(33, 34).build();
 * }</pre>
 */
public final class StoredQueryContactSourceBuilder {
    final long allQuery;
    long changedQuery;
    long membershipAllQuery;
    long membershipChangedQuery;
    QueryParameterStyle style = QueryParameterStyle.NAMED;
    String keyField = "K_CONTACT";
    String changedField = "D_CHANGE";
    String membershipContactField = "K_CONTACT";
    String membershipProfileField = "K_PROFILE";

    StoredQueryContactSourceBuilder(long allQuery) {
        this.allQuery = allQuery;
    }

    /** K_QUERY of the changed-since query; needed for change polling. */
    public StoredQueryContactSourceBuilder changedQuery(long key) {
        this.changedQuery = EfficyNames.requireKey("stored query", key);
        return this;
    }

    /** K_QUERY of the membership queries (all-contacts and changed-since variants). */
    public StoredQueryContactSourceBuilder membershipQueries(long allKey, long changedKey) {
        this.membershipAllQuery = EfficyNames.requireKey("stored query", allKey);
        this.membershipChangedQuery = EfficyNames.requireKey("stored query", changedKey);
        return this;
    }

    /** How parameters are sent; default {@link QueryParameterStyle#NAMED}. */
    public StoredQueryContactSourceBuilder parameterStyle(QueryParameterStyle style) {
        this.style = Objects.requireNonNull(style, "parameterStyle");
        return this;
    }

    /** Key and change-time fields of the rows; defaults {@code K_CONTACT}, {@code D_CHANGE}. */
    public StoredQueryContactSourceBuilder fields(String keyField, String changedField) {
        this.keyField = EfficyNames.require("key field", keyField);
        this.changedField = EfficyNames.require("changed field", changedField);
        return this;
    }

    /** Fields of the membership rows; defaults {@code K_CONTACT}, {@code K_PROFILE}. */
    public StoredQueryContactSourceBuilder membershipFields(String contactField, String profileField) {
        this.membershipContactField = EfficyNames.require("membership contact field", contactField);
        this.membershipProfileField = EfficyNames.require("membership profile field", profileField);
        return this;
    }

    /** Builds the source. */
    public ContactSource build() {
        return new StoredQueryContactSource(this);
    }
}

package io.crmsync.efficy.contact;

import io.crmsync.efficy.internal.StoredQueries;
import io.crmsync.efficy.rpc.RpcFunc;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored-query contact source configured by {@link StoredQueryContactSourceBuilder}. Not
 * public: hosts configure it, they do not build on it.
 */
final class StoredQueryContactSource implements ContactSource {

    private final long allQuery;
    private final long changedQuery;
    private final long membershipAllQuery;
    private final long membershipChangedQuery;
    private final QueryParameterStyle style;
    private final String keyField;
    private final String changedField;
    private final String membershipContactField;
    private final String membershipProfileField;
    private final DateTimeFormatter timestampFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    StoredQueryContactSource(StoredQueryContactSourceBuilder b) {
        this.allQuery = b.allQuery;
        this.changedQuery = b.changedQuery;
        this.membershipAllQuery = b.membershipAllQuery;
        this.membershipChangedQuery = b.membershipChangedQuery;
        this.style = b.style;
        this.keyField = b.keyField;
        this.changedField = b.changedField;
        this.membershipContactField = b.membershipContactField;
        this.membershipProfileField = b.membershipProfileField;
    }

    @Override
    public String keyField() {
        return keyField;
    }

    @Override
    public String changedField() {
        return changedField;
    }

    @Override
    public String membershipContactField() {
        return membershipContactField;
    }

    @Override
    public String membershipProfileField() {
        return membershipProfileField;
    }

    @Override
    public RpcFunc pageFunc(ContactCursor cursor, List<String> fields, int pageSize) {
        long query = cursor.isChangedSince() ? requireChanged() : allQuery;
        return StoredQueries.func(query, params(cursor), pageSize, style);
    }

    @Override
    public RpcFunc membershipFunc(ContactCursor cursor, int pageSize) {
        long query = cursor.isChangedSince() ? membershipChangedQuery : membershipAllQuery;
        if (query == 0) {
            throw new IllegalStateException(
                    "Profile memberships were asked for but no membership stored query is configured");
        }
        List<String> params = new ArrayList<>(params(cursor));
        params.add(Integer.toString(pageSize));
        return StoredQueries.func(query, params, 0, style);
    }

    private long requireChanged() {
        if (changedQuery == 0) {
            throw new IllegalStateException("no changed-since stored query is configured");
        }
        return changedQuery;
    }

    private List<String> params(ContactCursor cursor) {
        return cursor.keysetParameters(timestampFormat);
    }

    @Override
    public String toString() {
        return "StoredQueryContactSource{all=" + allQuery + ", changed=" + changedQuery + ", style=" + style + "}";
    }
}

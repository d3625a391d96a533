package io.crmsync.efficy.contact;

import io.crmsync.efficy.rpc.RpcFunc;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The SQL contact source configured by {@link SqlContactSourceBuilder}: keyset SQL through
 * {@code executesqlquery}, parameters newline-separated in {@code queryparams},
 * {@code recordcount} as the page size. Not public: hosts configure it, they do not build on it.
 */
final class SqlContactSource implements ContactSource {

    private final String table;
    private final String keyField;
    private final String changedField;
    private final String membershipTable;
    private final String membershipContactField;
    private final String membershipProfileField;
    private final String allSql;
    private final String changedSql;
    private final String membershipAllSql;
    private final String membershipChangedSql;
    private final DateTimeFormatter timestampFormat;

    SqlContactSource(SqlContactSourceBuilder b) {
        this.table = b.table;
        this.keyField = b.keyField;
        this.changedField = b.changedField;
        this.membershipTable = b.membershipTable;
        this.membershipContactField = b.membershipContactField;
        this.membershipProfileField = b.membershipProfileField;
        this.allSql = b.allSql;
        this.changedSql = b.changedSql;
        this.membershipAllSql = b.membershipAllSql;
        this.membershipChangedSql = b.membershipChangedSql;
        this.timestampFormat = b.timestampFormat;
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
        String template = cursor.isChangedSince() ? changedSql : allSql;
        return sqlFunc(fill(template, String.join(", ", fields), pageSize), cursor, pageSize);
    }

    @Override
    public RpcFunc membershipFunc(ContactCursor cursor, int pageSize) {
        String template = cursor.isChangedSince() ? membershipChangedSql : membershipAllSql;
        // recordcount 0 means "all rows": a page of n contacts may have several memberships each.
        return sqlFunc(fill(template, "", pageSize), cursor, 0);
    }

    private RpcFunc sqlFunc(String sql, ContactCursor cursor, int recordCount) {
        // executesqlquery takes its :pN values newline-separated.
        String params = String.join("\n", cursor.keysetParameters(timestampFormat));
        return RpcFunc.named("executesqlquery")
                .with("sql", sql)
                .with("queryparams", params)
                .with("recordcount", recordCount)
                .with("includeblobcontent", false);
    }

    private String fill(String template, String fields, int pageSize) {
        return template.replace("{fields}", fields)
                .replace("{table}", table)
                .replace("{key}", keyField)
                .replace("{changed}", changedField)
                .replace("{pageSize}", Integer.toString(pageSize))
                .replace("{membershipTable}", membershipTable)
                .replace("{membershipContact}", membershipContactField)
                .replace("{membershipProfile}", membershipProfileField);
    }

    /** Formats a change time the way this source sends it. */
    public String formatTimestamp(LocalDateTime time) {
        return timestampFormat.format(time);
    }

    @Override
    public String toString() {
        return "SqlContactSource{table=" + table + ", key=" + keyField + ", changed=" + changedField + ", memberships="
                + membershipTable + "}";
    }
}

package io.crmsync.efficy.contact;

import io.crmsync.efficy.internal.EfficyNames;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Configures the SQL contact source ({@code executesqlquery}: keyset SQL with {@code :p1}-style
 * parameters sent newline-separated in {@code queryparams}, and {@code recordcount} as the page
 * size). The notes could not confirm the table and field names on a real server, so every name
 * and the SQL itself are settings. Defaults: table {@code CONTACTS}, key {@code K_CONTACT}, change
 * time {@code D_CHANGE}, Profile memberships in {@code CONT_PROF} ({@code K_CONTACT},
 * {@code K_PROFILE}), timestamps as ISO-8601 with milliseconds. Names are checked against
 * {@code [A-Za-z0-9_$]+}.
 *
 * <p>Templates use placeholders filled with the checked names: {@code {fields}}, {@code {table}},
 * {@code {key}}, {@code {changed}}, {@code {pageSize}}, {@code {membershipTable}},
 * {@code {membershipContact}}, {@code {membershipProfile}}. The all-contacts templates get
 * {@code :p1} = last key; the changed-since templates get {@code :p1} = {@code :p2} = last change
 * time and {@code :p3} = last key.
 *
 * <pre>{@code
 * ContactSource source = ContactSource.sqlBuilder().table("CONTACTS").keyField("K_CONTACT").build();
 * }</pre>
 */
public final class SqlContactSourceBuilder {

    /** Default SQL for "every contact after key :p1". */
    public static final String DEFAULT_ALL_SQL = "select {fields} from {table} where {key} > :p1 order by {key}";
    /** Default SQL for "changed after :p1, or at :p2 with key after :p3". */
    public static final String DEFAULT_CHANGED_SQL =
            "select {fields} from {table} where {changed} > :p1 or ({changed} = :p2 and {key} > :p3)"
                    + " order by {changed}, {key}";
    /** Default SQL for the memberships of the contacts of an all-contacts page. */
    public static final String DEFAULT_MEMBERSHIP_ALL_SQL =
            "select {membershipContact}, {membershipProfile} from {membershipTable}"
                    + " where {membershipContact} in (select {key} from {table} where {key} > :p1"
                    + " order by {key} offset 0 rows fetch next {pageSize} rows only)";
    /** Default SQL for the memberships of the contacts of a changed-since page. */
    public static final String DEFAULT_MEMBERSHIP_CHANGED_SQL =
            "select {membershipContact}, {membershipProfile} from {membershipTable}"
                    + " where {membershipContact} in (select {key} from {table}"
                    + " where {changed} > :p1 or ({changed} = :p2 and {key} > :p3)"
                    + " order by {changed}, {key} offset 0 rows fetch next {pageSize} rows only)";

    private static final DateTimeFormatter DEFAULT_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    String table = "CONTACTS";
    String keyField = "K_CONTACT";
    String changedField = "D_CHANGE";
    String membershipTable = "CONT_PROF";
    String membershipContactField = "K_CONTACT";
    String membershipProfileField = "K_PROFILE";
    String allSql = DEFAULT_ALL_SQL;
    String changedSql = DEFAULT_CHANGED_SQL;
    String membershipAllSql = DEFAULT_MEMBERSHIP_ALL_SQL;
    String membershipChangedSql = DEFAULT_MEMBERSHIP_CHANGED_SQL;
    DateTimeFormatter timestampFormat = DEFAULT_TIMESTAMP;

    SqlContactSourceBuilder() {}

    /** The contacts table; default {@code CONTACTS}. */
    public SqlContactSourceBuilder table(String table) {
        this.table = EfficyNames.require("table", table);
        return this;
    }

    /** The contact key field; default {@code K_CONTACT}. */
    public SqlContactSourceBuilder keyField(String keyField) {
        this.keyField = EfficyNames.require("key field", keyField);
        return this;
    }

    /** The change-time field; default {@code D_CHANGE}. */
    public SqlContactSourceBuilder changedField(String changedField) {
        this.changedField = EfficyNames.require("changed field", changedField);
        return this;
    }

    /** The Cont–Prof relation table; default {@code CONT_PROF}. */
    public SqlContactSourceBuilder membershipTable(String membershipTable) {
        this.membershipTable = EfficyNames.require("membership table", membershipTable);
        return this;
    }

    /** The contact key field of the relation; default {@code K_CONTACT}. */
    public SqlContactSourceBuilder membershipContactField(String field) {
        this.membershipContactField = EfficyNames.require("membership contact field", field);
        return this;
    }

    /** The Profile key field of the relation; default {@code K_PROFILE}. */
    public SqlContactSourceBuilder membershipProfileField(String field) {
        this.membershipProfileField = EfficyNames.require("membership profile field", field);
        return this;
    }

    /** SQL for all contacts after {@code :p1}; see the class documentation for placeholders. */
    public SqlContactSourceBuilder allSql(String sql) {
        this.allSql = requireSql("allSql", sql);
        return this;
    }

    /** SQL for contacts changed since {@code :p1}/{@code :p2}, after key {@code :p3}. */
    public SqlContactSourceBuilder changedSql(String sql) {
        this.changedSql = requireSql("changedSql", sql);
        return this;
    }

    /** SQL for the memberships of an all-contacts page. */
    public SqlContactSourceBuilder membershipAllSql(String sql) {
        this.membershipAllSql = requireSql("membershipAllSql", sql);
        return this;
    }

    /** SQL for the memberships of a changed-since page. */
    public SqlContactSourceBuilder membershipChangedSql(String sql) {
        this.membershipChangedSql = requireSql("membershipChangedSql", sql);
        return this;
    }

    /** How change times are written into parameters; default ISO with milliseconds. */
    public SqlContactSourceBuilder timestampFormat(DateTimeFormatter format) {
        this.timestampFormat = Objects.requireNonNull(format, "timestampFormat");
        return this;
    }

    /** Builds the source. */
    public ContactSource build() {
        return new SqlContactSource(this);
    }

    private static String requireSql(String what, String sql) {
        EfficyNames.requireText(what, sql);
        if (!sql.contains(":p1")) {
            throw new IllegalArgumentException(what + " must use the :p1 parameter");
        }
        return sql;
    }
}

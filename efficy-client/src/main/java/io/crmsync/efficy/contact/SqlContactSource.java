package io.crmsync.efficy.contact;

import io.crmsync.efficy.internal.EfficyNames;
import io.crmsync.efficy.rpc.RpcFunc;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * Reads contact pages with {@code executesqlquery}: keyset SQL with {@code :p1}-style parameters
 * (values sent newline-separated in {@code queryparams}) and {@code recordcount} as the page size.
 *
 * <p>The protocol notes could not confirm the table and field names on a real server, so every
 * name and the SQL itself are configurable. Defaults: table {@code CONTACTS}, key
 * {@code K_CONTACT}, change time {@code D_CHANGE}, Profile memberships in {@code CONT_PROF}
 * ({@code K_CONTACT}, {@code K_PROFILE}). Timestamps are sent as ISO-8601 with a {@code T} and
 * milliseconds ({@code 2022-03-14T09:00:00.000}), the form SQL Server reads regardless of its
 * language settings. The membership SQL limits its sub-select with
 * {@code OFFSET 0 ROWS FETCH NEXT n ROWS ONLY} (SQL Server 2012+, also H2 and PostgreSQL).
 *
 * <p>Templates use placeholders that the source fills with checked names: {@code {fields}},
 * {@code {table}}, {@code {key}}, {@code {changed}}, {@code {pageSize}}, {@code {membershipTable}},
 * {@code {membershipContact}}, {@code {membershipProfile}}. Parameters: the all-contacts templates
 * get {@code :p1} = last key; the changed-since templates get {@code :p1} = {@code :p2} = last
 * change time and {@code :p3} = last key.
 *
 * <pre>{@code
 * ContactSource source = SqlContactSource.builder().table("CONTACTS").keyField("K_CONTACT").build();
 * }</pre>
 */
public final class SqlContactSource implements ContactSource {

  /** Default SQL for "every contact after key :p1". */
  public static final String DEFAULT_ALL_SQL =
      "select {fields} from {table} where {key} > :p1 order by {key}";

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

  private static final DateTimeFormatter DEFAULT_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

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

  private SqlContactSource(Builder b) {
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

  /** Starts a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
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
    return template
        .replace("{fields}", fields)
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
    return "SqlContactSource{table=" + table + ", key=" + keyField + ", changed=" + changedField
        + ", memberships=" + membershipTable + "}";
  }

  /** Builds a {@link SqlContactSource}; names are checked against {@code [A-Za-z0-9_$]+}. */
  public static final class Builder {
    private String table = "CONTACTS";
    private String keyField = "K_CONTACT";
    private String changedField = "D_CHANGE";
    private String membershipTable = "CONT_PROF";
    private String membershipContactField = "K_CONTACT";
    private String membershipProfileField = "K_PROFILE";
    private String allSql = DEFAULT_ALL_SQL;
    private String changedSql = DEFAULT_CHANGED_SQL;
    private String membershipAllSql = DEFAULT_MEMBERSHIP_ALL_SQL;
    private String membershipChangedSql = DEFAULT_MEMBERSHIP_CHANGED_SQL;
    private DateTimeFormatter timestampFormat = DEFAULT_TIMESTAMP;

    private Builder() {}

    /** The contacts table; default {@code CONTACTS}. */
    public Builder table(String table) {
      this.table = EfficyNames.require("table", table);
      return this;
    }

    /** The contact key field; default {@code K_CONTACT}. */
    public Builder keyField(String keyField) {
      this.keyField = EfficyNames.require("key field", keyField);
      return this;
    }

    /** The change-time field; default {@code D_CHANGE}. */
    public Builder changedField(String changedField) {
      this.changedField = EfficyNames.require("changed field", changedField);
      return this;
    }

    /** The Cont–Prof relation table; default {@code CONT_PROF}. */
    public Builder membershipTable(String membershipTable) {
      this.membershipTable = EfficyNames.require("membership table", membershipTable);
      return this;
    }

    /** The contact key field of the relation; default {@code K_CONTACT}. */
    public Builder membershipContactField(String field) {
      this.membershipContactField = EfficyNames.require("membership contact field", field);
      return this;
    }

    /** The Profile key field of the relation; default {@code K_PROFILE}. */
    public Builder membershipProfileField(String field) {
      this.membershipProfileField = EfficyNames.require("membership profile field", field);
      return this;
    }

    /** SQL for all contacts after {@code :p1}; see the class documentation for placeholders. */
    public Builder allSql(String sql) {
      this.allSql = requireSql("allSql", sql);
      return this;
    }

    /** SQL for contacts changed since {@code :p1}/{@code :p2}, after key {@code :p3}. */
    public Builder changedSql(String sql) {
      this.changedSql = requireSql("changedSql", sql);
      return this;
    }

    /** SQL for the memberships of an all-contacts page. */
    public Builder membershipAllSql(String sql) {
      this.membershipAllSql = requireSql("membershipAllSql", sql);
      return this;
    }

    /** SQL for the memberships of a changed-since page. */
    public Builder membershipChangedSql(String sql) {
      this.membershipChangedSql = requireSql("membershipChangedSql", sql);
      return this;
    }

    /** How change times are written into parameters; default ISO with milliseconds. */
    public Builder timestampFormat(DateTimeFormatter format) {
      this.timestampFormat = Objects.requireNonNull(format, "timestampFormat");
      return this;
    }

    /** Builds the source. */
    public SqlContactSource build() {
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
}

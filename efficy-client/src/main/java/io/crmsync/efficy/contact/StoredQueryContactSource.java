package io.crmsync.efficy.contact;

import io.crmsync.efficy.internal.StoredQueries;
import io.crmsync.efficy.internal.EfficyNames;
import io.crmsync.efficy.rpc.RpcFunc;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * Reads contact pages with stored queries ({@code query} with {@code key} = K_QUERY) that the
 * customer defines in Efficy, for accounts without the "SQL Exec" right.
 *
 * <p>The queries must page by keyset themselves: the all-contacts query receives parameter 1 =
 * last key and must return contacts with a greater key ordered by key; the changed-since query
 * receives parameter 1 = parameter 2 = last change time and parameter 3 = last key (see
 * {@link SqlContactSource#DEFAULT_CHANGED_SQL} for the condition). Their rows must include the key
 * and change fields. The membership queries take the same parameters plus the page size as the
 * last one, and return (contact key, profile key) rows. {@code recordcount} is sent in lowercase
 * (camelCase is silently ignored by the server). Parameters go in the configured
 * {@link QueryParameterStyle}, {@code NAMED} by default.
 */
public final class StoredQueryContactSource implements ContactSource {

  private final long allQuery;
  private final long changedQuery;
  private final long membershipAllQuery;
  private final long membershipChangedQuery;
  private final QueryParameterStyle style;
  private final String keyField;
  private final String changedField;
  private final String membershipContactField;
  private final String membershipProfileField;
  private final DateTimeFormatter timestampFormat =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

  private StoredQueryContactSource(Builder b) {
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

  /**
   * Starts a builder.
   *
   * @param allQuery K_QUERY of the all-contacts query
   */
  public static Builder builder(long allQuery) {
    return new Builder(EfficyNames.requireKey("stored query", allQuery));
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
    List<String> params = new java.util.ArrayList<>(params(cursor));
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
    return "StoredQueryContactSource{all=" + allQuery + ", changed=" + changedQuery + ", style="
        + style + "}";
  }

  /** Builds a {@link StoredQueryContactSource}. */
  public static final class Builder {
    private final long allQuery;
    private long changedQuery;
    private long membershipAllQuery;
    private long membershipChangedQuery;
    private QueryParameterStyle style = QueryParameterStyle.NAMED;
    private String keyField = "K_CONTACT";
    private String changedField = "D_CHANGE";
    private String membershipContactField = "K_CONTACT";
    private String membershipProfileField = "K_PROFILE";

    private Builder(long allQuery) {
      this.allQuery = allQuery;
    }

    /** K_QUERY of the changed-since query; needed for change polling. */
    public Builder changedQuery(long key) {
      this.changedQuery = EfficyNames.requireKey("stored query", key);
      return this;
    }

    /** K_QUERY of the membership queries (all-contacts and changed-since variants). */
    public Builder membershipQueries(long allKey, long changedKey) {
      this.membershipAllQuery = EfficyNames.requireKey("stored query", allKey);
      this.membershipChangedQuery = EfficyNames.requireKey("stored query", changedKey);
      return this;
    }

    /** How parameters are sent; default {@link QueryParameterStyle#NAMED}. */
    public Builder parameterStyle(QueryParameterStyle style) {
      this.style = Objects.requireNonNull(style, "parameterStyle");
      return this;
    }

    /** Key and change-time fields of the rows; defaults {@code K_CONTACT}, {@code D_CHANGE}. */
    public Builder fields(String keyField, String changedField) {
      this.keyField = EfficyNames.require("key field", keyField);
      this.changedField = EfficyNames.require("changed field", changedField);
      return this;
    }

    /** Fields of the membership rows; defaults {@code K_CONTACT}, {@code K_PROFILE}. */
    public Builder membershipFields(String contactField, String profileField) {
      this.membershipContactField = EfficyNames.require("membership contact field", contactField);
      this.membershipProfileField = EfficyNames.require("membership profile field", profileField);
      return this;
    }

    /** Builds the source. */
    public StoredQueryContactSource build() {
      return new StoredQueryContactSource(this);
    }
  }
}

package io.crmsync.efficy;

import io.crmsync.efficy.internal.EfficyJson;
import io.crmsync.client.BaseUris;
import io.crmsync.client.RetryPolicy;
import io.crmsync.client.Sleeper;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.efficy.activity.ActivityResult;
import io.crmsync.efficy.activity.NewActivity;
import io.crmsync.efficy.contact.Contact;
import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPage;
import io.crmsync.efficy.contact.ContactRead;
import io.crmsync.efficy.contact.ContactRecord;
import io.crmsync.efficy.contact.ContactSource;
import io.crmsync.efficy.contact.QueryParameterStyle;
import io.crmsync.efficy.internal.StoredQueries;
import io.crmsync.efficy.error.EfficyAuthenticationException;
import io.crmsync.efficy.error.EfficyRpcException;
import io.crmsync.efficy.error.EfficyServerException;
import io.crmsync.efficy.error.EfficyTransportException;
import io.crmsync.efficy.rpc.BatchResponse;
import io.crmsync.efficy.rpc.ContextResult;
import io.crmsync.efficy.rpc.Dataset;
import io.crmsync.efficy.internal.EfficyNames;
import io.crmsync.efficy.rpc.JsonRpcBatch;
import io.crmsync.efficy.rpc.Row;
import io.crmsync.efficy.rpc.RpcContext;
import io.crmsync.efficy.rpc.RpcFunc;
import io.crmsync.efficy.user.EfficyIdentity;
import io.crmsync.efficy.user.EfficyUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Typed client for the Efficy Enterprise JSON-RPC API at {@code {base}/crm/json}.
 *
 * <p>Build one per Efficy database and share it: the client is immutable and thread-safe, holds
 * one {@link HttpClient} (its connection pool) and one Efficy session, and caps concurrent
 * requests (default 4, since Efficy gets slower past 3–4 parallel sessions). Each operation is one
 * HTTP request; several operations can share one with {@link #execute(JsonRpcBatch)}.
 *
 * <p>Sessions: the {@code EfficySession} cookie from the server is kept and sent back; when an
 * answer says the session expired (HTTP 401, or texts such as "Session timeout" or "Please Logon
 * to Database"), the cookie is dropped and the batch is sent once more with a fresh session.
 * {@link #close()} logs the session off with {@code X-Efficy-Logoff: true}.
 *
 * <p>Retries: read-only batches (and batches marked idempotent) are retried after I/O errors,
 * timeouts and HTTP 5xx under the {@link RetryPolicy}; creates are never retried, so a record is
 * never created twice by the client.
 *
 * <p>Secrets: the API key and password are sent as headers and appear in no log line, exception
 * message or {@code toString()}.
 *
 * <pre>{@code
 * try (EfficyClient efficy = EfficyClient.builder()
 *     .baseUri(URI.create("https://mycompany.efficy.cloud/crm"))
 *     .customer("mycompany")
 *     .apiKey(System.getenv("EFFICY_API_KEY"))
 *     .build()) {
 *   EfficyIdentity me = efficy.whoAmI();
 *   efficy.contactPages(ContactCursor.start(), List.of("NAME", "EMAIL1"), 500, true)
 *       .forEach(page -> page.contacts().forEach(c -> System.out.println(c.key())));
 * }
 * }</pre>
 */
public final class EfficyClient implements AutoCloseable {

  private final URI endpoint;
  private final String customer;
  private final String apiKey;
  private final String user;
  private final int maxConcurrentRequests;
  private final ContactSource contactSource;
  private final QueryParameterStyle queryParameterStyle;
  private final int lookupBatchSize;
  private final String activityKeyField;
  private final ObjectMapper mapper = EfficyJson.newMapper();
  private final EfficyTransport transport;

  private EfficyClient(Builder b) {
    this.endpoint = b.endpoint;
    this.customer = b.customer;
    this.apiKey = b.apiKey;
    this.user = b.user;
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    this.contactSource = b.contactSource;
    this.queryParameterStyle = b.queryParameterStyle;
    this.lookupBatchSize = b.lookupBatchSize;
    this.activityKeyField = b.activityKeyField;
    HttpClient http =
        b.httpClient != null
            ? b.httpClient
            : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    this.transport = new EfficyTransport(b.endpoint, b.customer, b.apiKey, b.user, b.password, b.requestTimeout,
        b.retryPolicy, b.maxConcurrentRequests, b.clock, b.sleeper, b.jitterSource, b.listener, http);
  }

  /** Starts a builder; {@link Builder#baseUri} and credentials are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The JSON-RPC endpoint, {@code {base}/crm/json}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The contact source used by the paging operations. */
  public ContactSource contactSource() {
    return contactSource;
  }

  // ---------------------------------------------------------------------------------------------
  // Operations

  /**
   * Who the client is logged in as, the database alias, the license and the system settings (from
   * which {@link EfficyIdentity#version()} reads the server version). One request; the cheapest
   * way to check credentials.
   */
  public EfficyIdentity whoAmI() {
    JsonRpcBatch batch =
        JsonRpcBatch.builder("whoAmI")
            .add(
                RpcContext.api()
                    .withFunc(RpcFunc.named("currentuserid"))
                    .withFunc(RpcFunc.named("currentusername"))
                    .withFunc(RpcFunc.named("currentuserfullname"))
                    .withFunc(RpcFunc.named("currentdatabasealias"))
                    .withFunc(RpcFunc.named("currentlicensename"))
                    .withFunc(RpcFunc.named("systemsettings")))
            .build();
    ContextResult c = execute(batch).context(0);
    String userId = c.func(0).scalar().orElse("0").trim();
    long id;
    try {
      id = Long.parseLong(userId);
    } catch (NumberFormatException e) {
      id = 0;
    }
    return new EfficyIdentity(
        id,
        c.func(1).scalar().orElse(""),
        c.func(2).scalar().orElse(""),
        c.func(3).scalar().orElse(""),
        c.func(4).scalar().orElse(""),
        c.func(5).keyValues());
  }

  /**
   * Reads one page of contacts after {@code cursor}, with their Profile memberships when asked, in
   * one request.
   *
   * @param fields the fields to read; the source's key and change fields are added when missing
   * @param pageSize rows per page, at least 1
   * @param withProfiles whether to read Profile ({@code Prof}) memberships in the same request
   * @throws IllegalArgumentException for a bad field name or page size
   */
  public ContactPage contactPage(
      ContactCursor cursor, List<String> fields, int pageSize, boolean withProfiles) {
    Objects.requireNonNull(cursor, "cursor");
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1, was " + pageSize);
    }
    List<String> selected = selectedFields(fields);
    RpcContext context =
        RpcContext.api().withFunc(contactSource.pageFunc(cursor, selected, pageSize));
    if (withProfiles) {
      context = context.withFunc(contactSource.membershipFunc(cursor, pageSize));
    }
    ContextResult result =
        execute(JsonRpcBatch.builder("contactPage").add(context).build()).context(0);
    Dataset rows = result.func(0).dataset();
    Map<Long, Set<Long>> memberships =
        withProfiles ? memberships(result.func(1).dataset()) : Map.of();
    List<Contact> contacts = new ArrayList<>(rows.size());
    String keyField = contactSource.keyField();
    String changedField = contactSource.changedField();
    for (Row row : rows.rows()) {
      long key = row.requireLong(keyField);
      contacts.add(
          new Contact(
              key,
              row,
              memberships.getOrDefault(key, Set.of()),
              row.dateTime(changedField)));
    }
    ContactCursor next = cursor;
    if (!contacts.isEmpty()) {
      Contact lastContact = contacts.get(contacts.size() - 1);
      if (cursor.isChangedSince()) {
        LocalDateTime at =
            lastContact
                .changedAt()
                .orElseThrow(
                    () -> new IllegalStateException(
                        "contact " + lastContact.key() + " has no " + changedField));
        next = ContactCursor.changedSince(at, lastContact.key());
      } else {
        next = ContactCursor.afterKey(lastContact.key());
      }
    }
    return new ContactPage(contacts, next, contacts.size() < pageSize);
  }

  /**
   * All pages from {@code cursor} on, as a lazy stream: the next page is requested only when the
   * stream needs it, so memory holds one page at a time. The stream ends after a short page.
   */
  public Stream<ContactPage> contactPages(
      ContactCursor cursor, List<String> fields, int pageSize, boolean withProfiles) {
    // Check the arguments now, not on first use.
    selectedFields(fields);
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1, was " + pageSize);
    }
    Spliterator<ContactPage> pages =
        new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
          private ContactCursor next = cursor;
          private boolean done;

          @Override
          public boolean tryAdvance(Consumer<? super ContactPage> action) {
            if (done) {
              return false;
            }
            ContactPage page = contactPage(next, fields, pageSize, withProfiles);
            next = page.next();
            done = page.last();
            if (page.contacts().isEmpty()) {
              return false;
            }
            action.accept(page);
            return true;
          }
        };
    return StreamSupport.stream(pages, false);
  }

  private List<String> selectedFields(List<String> fields) {
    Set<String> selected = new LinkedHashSet<>();
    selected.add(contactSource.keyField());
    for (String f : fields) {
      selected.add(EfficyNames.require("field", f));
    }
    selected.add(contactSource.changedField());
    return List.copyOf(selected);
  }

  private Map<Long, Set<Long>> memberships(Dataset rows) {
    Map<Long, Set<Long>> map = new HashMap<>();
    for (Row row : rows.rows()) {
      long contact = row.requireLong(contactSource.membershipContactField());
      long profile = row.requireLong(contactSource.membershipProfileField());
      map.computeIfAbsent(contact, k -> new LinkedHashSet<>()).add(profile);
    }
    return map;
  }

  /**
   * Reads one contact with a {@code consult}: the master fields asked for, the categories and the
   * Profile memberships. Empty when the master dataset has no row (no such contact).
   *
   * @throws IllegalArgumentException for a key below 1
   */
  public Optional<ContactRecord> contact(long key, ContactRead read) {
    EfficyNames.requireKey("contact", key);
    RpcContext context =
        RpcContext.consult("Cont", key).closeContext(true).withFunc(RpcFunc.named("master"));
    for (String category : read.categories()) {
      context = context.withFunc(RpcFunc.named("category").with("category", category));
    }
    if (read.profiles()) {
      context = context.withFunc(RpcFunc.named("detail").with("detail", "Prof"));
    }
    ContextResult result = execute(JsonRpcBatch.builder("contact").add(context).build()).context(0);
    Dataset masterRows = result.func(0).dataset();
    if (masterRows.isEmpty()) {
      return Optional.empty();
    }
    Row master = project(masterRows.rows().get(0), read.fields());
    Map<String, Row> categories = new LinkedHashMap<>();
    int index = 1;
    for (String category : read.categories()) {
      Dataset rows = result.func(index++).dataset();
      if (!rows.isEmpty()) {
        categories.put(category, rows.rows().get(0));
      }
    }
    Set<Long> profiles = new LinkedHashSet<>();
    if (read.profiles()) {
      for (Row row : result.func(index).dataset().rows()) {
        row.longValue(read.membershipProfileField()).ifPresent(profiles::add);
      }
    }
    return Optional.of(new ContactRecord(key, master, categories, profiles));
  }

  private Row project(Row row, List<String> fields) {
    if (fields.isEmpty()) {
      return row;
    }
    var node = mapper.createObjectNode();
    for (String f : fields) {
      row.raw(f).ifPresentOrElse(v -> node.set(f, v), () -> {
        if (row.has(f)) {
          node.putNull(f);
        }
      });
    }
    return new Row(node);
  }

  /**
   * Ticks or unticks a checkbox field of a contact (an {@code edit} with {@code update},
   * committed). Safe to repeat, so it is retried like a read.
   */
  public void setContactCheckbox(long contactKey, String field, boolean ticked) {
    updateContactFields(contactKey, Map.of(EfficyNames.require("field", field), ticked ? "1" : "0"));
  }

  /**
   * Sets master fields of a contact in one committed {@code edit}. Values are sent as given (use
   * {@code "0"}/{@code "1"} for checkboxes and {@code yyyy-MM-ddTHH:mm:ss} for dates); a
   * {@code null} value clears the field. Safe to repeat.
   */
  public void updateContactFields(long contactKey, Map<String, ?> values) {
    EfficyNames.requireKey("contact", contactKey);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no field to update on contact " + contactKey);
    }
    RpcContext edit =
        RpcContext.edit("Cont", contactKey)
            .commit(true)
            .closeContext(true)
            .withFunc(RpcFunc.named("update").data(values));
    execute(JsonRpcBatch.builder("updateContact").add(edit).idempotent(true).build());
  }

  /**
   * Sets master fields of several contacts in one request (one committed {@code edit} context per
   * contact). Safe to repeat, so it is retried like a read.
   *
   * @param values contact key to the fields to set (see {@link #updateContactFields})
   */
  public void updateContactsFields(Map<Long, ? extends Map<String, ?>> values) {
    if (values.isEmpty()) {
      return;
    }
    JsonRpcBatch.Builder batch = JsonRpcBatch.builder("updateContacts").idempotent(true);
    values.forEach((key, fields) -> {
      EfficyNames.requireKey("contact", key);
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("no field to update on contact " + key);
      }
      batch.add(RpcContext.edit("Cont", key).commit(true).closeContext(true)
          .withFunc(RpcFunc.named("update").data(fields)));
    });
    execute(batch.build());
  }

  /**
   * Makes a contact a member of an Efficy Profile ({@code addlink} Cont → Prof with
   * {@code ignoreexisting}, so an existing membership is not an error). Safe to repeat.
   */
  public void addProfile(long contactKey, long profileKey) {
    link("addlink", contactKey, profileKey);
  }

  /** Ends a contact's membership of an Efficy Profile ({@code deletelink}). Safe to repeat. */
  public void removeProfile(long contactKey, long profileKey) {
    link("deletelink", contactKey, profileKey);
  }

  private void link(String func, long contactKey, long profileKey) {
    EfficyNames.requireKey("contact", contactKey);
    EfficyNames.requireKey("profile", profileKey);
    RpcFunc f =
        RpcFunc.named(func)
            .with("entity", "Cont")
            .with("key", contactKey)
            .with("detail", "Prof")
            .with("detailkey", Long.toString(profileKey))
            .with("ignoreexisting", true);
    execute(JsonRpcBatch.builder(func).add(RpcContext.api().withFunc(f)).idempotent(true).build());
  }

  /**
   * Runs a stored query (a row of QUERIES) and returns its rows. Sends lowercase
   * {@code recordcount} (0 = all rows) and parameters in the client's
   * {@link Builder#queryParameterStyle}.
   */
  public Dataset queryRows(long queryKey, List<String> params, int recordCount) {
    RpcFunc func = StoredQueries.func(queryKey, params, recordCount, queryParameterStyle);
    return execute(JsonRpcBatch.builder("queryRows").add(RpcContext.api().withFunc(func)).build())
        .context(0)
        .func(0)
        .dataset();
  }

  /** Users, groups, resources and teams from {@code userlist}. */
  public List<EfficyUser> users() {
    Dataset rows =
        execute(
                JsonRpcBatch.builder("users")
                    .add(RpcContext.api().withFunc(RpcFunc.named("userlist")))
                    .build())
            .context(0)
            .func(0)
            .dataset();
    List<EfficyUser> users = new ArrayList<>(rows.size());
    for (Row row : rows.rows()) {
      users.add(
          new EfficyUser(
              row.requireLong("K_USER"),
              row.text("USERCODE").orElse(""),
              row.text("FULLNAME").or(() -> row.text("NAME")).orElse(""),
              EfficyUser.Kind.of(row.longValue("KIND").orElse(0))));
    }
    return users;
  }

  /**
   * Keys of the {@code Acti} records whose {@code sourceField} equals {@code sourceId}
   * ({@code consultmanyex}, an exact match that needs no SQL right).
   */
  public List<Long> findActivities(String sourceField, String sourceId) {
    EfficyNames.require("source field", sourceField);
    RpcFunc f = activityLookup(sourceField, checkedSourceId(sourceId));
    Dataset rows =
        execute(JsonRpcBatch.builder("findActivities").add(RpcContext.api().withFunc(f)).build())
            .context(0)
            .func(0)
            .dataset();
    List<Long> keys = new ArrayList<>();
    for (Row row : rows.rows()) {
      row.longValue(activityKeyField).ifPresent(keys::add);
    }
    return keys;
  }

  /**
   * Contacts by e-mail address ({@code contactidsfromemailaddresses}), for many addresses in few
   * requests. Each distinct address (compared case-insensitively) is asked once, in a function of
   * its own, and up to {@link Builder#lookupBatchSize} functions travel in one request: the
   * notes do not document the answer's columns, so only the contact key ({@code K_CONTACT}) is
   * read, and a function's rows belong to the one address it asked for. An address may match
   * several contacts (the caller decides what that means).
   *
   * @return lower-cased address to the keys of the contacts it matched (absent when none)
   * @throws IllegalArgumentException for an address containing {@code ;} (the list separator)
   */
  public Map<String, List<Long>> contactKeysByEmail(java.util.Collection<String> addresses) {
    Set<String> asked = new LinkedHashSet<>();
    for (String a : addresses) {
      if (a == null || a.isBlank()) {
        continue;
      }
      if (a.contains(";")) {
        throw new IllegalArgumentException("an e-mail address must not contain ';'");
      }
      asked.add(a.trim().toLowerCase(Locale.ROOT));
    }
    Map<String, List<Long>> found = new LinkedHashMap<>();
    for (List<String> chunk : chunks(List.copyOf(asked), lookupBatchSize)) {
      RpcContext context = RpcContext.api();
      for (String address : chunk) {
        context = context.withFunc(RpcFunc.named("contactidsfromemailaddresses").with("recipients", address));
      }
      ContextResult result = execute(JsonRpcBatch.builder("contactKeysByEmail").add(context).build()).context(0);
      for (int i = 0; i < chunk.size(); i++) {
        List<Long> keys = new ArrayList<>();
        for (Row row : result.func(i).dataset().rows()) {
          row.longValue("K_CONTACT").ifPresent(k -> {
            if (!keys.contains(k)) {
              keys.add(k);
            }
          });
        }
        if (!keys.isEmpty()) {
          found.put(chunk.get(i), keys);
        }
      }
    }
    return found;
  }

  private static <T> List<List<T>> chunks(List<T> items, int size) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) {
      chunks.add(items.subList(from, Math.min(items.size(), from + size)));
    }
    return chunks;
  }

  /**
   * Keys of the {@code Acti} records carrying any of the source ids in {@code sourceField}. Each
   * id is one {@code consultmanyex} function with one field and one value, the exact match the
   * notes document (§3.4: several fields pair with as many values; it is not an IN list), and up
   * to {@link Builder#lookupBatchSize} functions travel in one request. Needs no SQL right.
   *
   * @return source id to record key, for the ids found
   * @throws IllegalArgumentException for a bad field name, or an id that is blank or holds {@code ;}
   */
  public Map<String, Long> findActivities(String sourceField, java.util.Collection<String> sourceIds) {
    EfficyNames.require("source field", sourceField);
    Set<String> ids = new LinkedHashSet<>();
    for (String id : sourceIds) {
      ids.add(checkedSourceId(id));
    }
    Map<String, Long> found = new LinkedHashMap<>();
    for (List<String> chunk : chunks(List.copyOf(ids), lookupBatchSize)) {
      RpcContext context = RpcContext.api();
      for (String id : chunk) {
        context = context.withFunc(activityLookup(sourceField, id));
      }
      ContextResult result = execute(JsonRpcBatch.builder("findActivities").add(context).build()).context(0);
      for (int i = 0; i < chunk.size(); i++) {
        for (Row row : result.func(i).dataset().rows()) {
          OptionalLong key = row.longValue(activityKeyField);
          if (key.isPresent()) {
            found.putIfAbsent(chunk.get(i), key.getAsLong());
            break;
          }
        }
      }
    }
    return found;
  }

  private static String checkedSourceId(String id) {
    EfficyNames.requireText("source id", id);
    if (id.contains(";")) {
      throw new IllegalArgumentException("source id must not contain ';'");
    }
    return id;
  }

  private static RpcFunc activityLookup(String sourceField, String sourceId) {
    return RpcFunc.named("consultmanyex")
        .with("entity", "Acti")
        .with("findfield", sourceField)
        .with("keys", sourceId)
        .with("separator", ";");
  }

  /**
   * Creates several {@code Acti} records in one request (one committed {@code edit} context each).
   * Never retried; look the source ids up first ({@link #findActivities(String, java.util.Collection)})
   * so a repeat after a failure creates no twin.
   *
   * @return the new keys, in order
   */
  public List<Long> createActivities(List<NewActivity> activities) {
    if (activities.isEmpty()) {
      return List.of();
    }
    JsonRpcBatch.Builder batch = JsonRpcBatch.builder("createActivities");
    for (NewActivity a : activities) {
      batch.add(activityEdit(a));
    }
    List<Long> keys = new ArrayList<>();
    for (ContextResult c : execute(batch.build()).contexts()) {
      OptionalLong key = c.key();
      if (key.isEmpty() || key.getAsLong() <= 0) {
        throw new EfficyTransportException("Efficy did not return a new Acti key", "createActivities", "-", 200,
            false, null);
      }
      keys.add(key.getAsLong());
    }
    return keys;
  }

  /**
   * Creates an {@code Acti} linked to the contact and assigned to the users, in one committed
   * {@code edit} with key 0. Never retried: a retried create could leave a twin. Prefer
   * {@link #createActivityOnce}.
   *
   * @return the new record's key
   */
  public long createActivity(NewActivity activity) {
    ContextResult result =
        execute(JsonRpcBatch.builder("createActivity").add(activityEdit(activity)).build()).context(0);
    OptionalLong key = result.key();
    if (key.isEmpty() || key.getAsLong() <= 0) {
      throw new EfficyTransportException(
          "Efficy did not return the new Acti key", "createActivity", "-", 200, false, null);
    }
    return key.getAsLong();
  }

  private static RpcContext activityEdit(NewActivity activity) {
    RpcContext edit =
        RpcContext.edit("Acti", 0)
            .commit(true)
            .closeContext(true)
            .withFunc(
                RpcFunc.named("insertDetail")
                    .with("detail", "Cont")
                    .with("detailkey", activity.contactKey()));
    if (!activity.users().isEmpty()) {
      edit =
          edit.withFunc(RpcFunc.named("setusers").with("users", activity.users()).with("clear", true));
    }
    return edit.withFunc(RpcFunc.named("update").data(activity.masterData()));
  }

  /**
   * Creates the activity unless one with the same source id exists: looks the source id up first,
   * so a retry after a crash, or a replayed webhook, finds the record instead of creating a twin.
   */
  public ActivityResult createActivityOnce(NewActivity activity) {
    List<Long> existing = findActivities(activity.sourceField(), activity.sourceId());
    if (!existing.isEmpty()) {
      return new ActivityResult(existing.get(0), false);
    }
    return new ActivityResult(createActivity(activity), true);
  }

  // ---------------------------------------------------------------------------------------------
  // Transport

  /**
   * Sends a batch in one HTTP request and returns the answers of its contexts.
   *
   * @throws EfficyAuthenticationException when the credentials or session are refused
   * @throws EfficyRpcException when Efficy reports an error in the answer
   * @throws EfficyServerException on HTTP 5xx (after retries, when the batch allows them)
   * @throws EfficyTransportException on I/O errors, timeouts and unreadable answers
   * @throws IllegalStateException when the client is closed
   */
  public BatchResponse execute(JsonRpcBatch batch) {
    return transport.execute(batch);
  }

  /** Whether the client holds an Efficy session cookie. */
  public boolean hasSession() {
    return transport.hasSession();
  }

  /**
   * Logs the session off ({@code X-Efficy-Logoff: true}) when there is one, then refuses further
   * calls. A failure to log off is logged, not thrown. Idempotent.
   */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "EfficyClient{endpoint=" + endpoint
        + ", customer=" + (customer == null ? "-" : customer)
        + ", auth=" + (apiKey != null ? "apiKey(redacted)" : "user " + user + " (password redacted)")
        + ", maxConcurrentRequests=" + maxConcurrentRequests + "}";
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Builds an {@link EfficyClient}. Required: {@link #baseUri} and either {@link #apiKey} or
   * {@link #userPassword}. Defaults: request timeout 60 s, connect timeout 10 s,
   * {@link RetryPolicy#defaults()}, 4 concurrent requests, {@link ContactSource#sql()},
   * {@link QueryParameterStyle#NAMED}, 100 look-ups per request, Acti key {@code K_ACTION}, the
   * system clock, no listener.
   */
  public static final class Builder {
    private URI endpoint;
    private String customer;
    private String apiKey;
    private String user;
    private String password;
    private boolean allowInsecureHttp;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private int maxConcurrentRequests = 4;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private DoubleSupplier jitterSource = () -> ThreadLocalRandom.current().nextDouble();
    private EfficyListener listener = EfficyListener.NONE;
    private ContactSource contactSource = ContactSource.sql();
    private QueryParameterStyle queryParameterStyle = QueryParameterStyle.NAMED;
    private int lookupBatchSize = 100;
    private String activityKeyField = "K_ACTION";
    private HttpClient httpClient;

    private Builder() {}

    /**
     * The Efficy base URI, with or without the trailing {@code /crm}: both
     * {@code https://x.efficy.cloud} and {@code https://x.efficy.cloud/crm} give
     * {@code https://x.efficy.cloud/crm/json}.
     */
    public Builder baseUri(URI baseUri) {
      Objects.requireNonNull(baseUri, "baseUri");
      if (baseUri.getScheme() == null || baseUri.getHost() == null) {
        throw new IllegalArgumentException("baseUri must be absolute, was " + baseUri);
      }
      String path = baseUri.getPath() == null ? "" : baseUri.getPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      if (path.endsWith("/json")) {
        path = path.substring(0, path.length() - "/json".length());
      }
      if (!path.endsWith("/crm")) {
        path = path + "/crm";
      }
      this.endpoint = baseUri.resolve(path + "/json");
      return this;
    }

    /** The customer (database) alias, sent as {@code X-Efficy-Customer}. Optional. */
    public Builder customer(String customer) {
      this.customer = EfficyNames.requireText("customer", customer);
      return this;
    }

    /** Authenticates with an API key ({@code X-Efficy-ApiKey}); the recommended way. */
    public Builder apiKey(String apiKey) {
      this.apiKey = EfficyNames.requireText("apiKey", apiKey);
      this.user = null;
      this.password = null;
      return this;
    }

    /** Authenticates with a user code and password ({@code X-Efficy-User}/{@code X-Efficy-Pwd}). */
    public Builder userPassword(String user, String password) {
      this.user = EfficyNames.requireText("user", user);
      this.password = EfficyNames.requireText("password", password);
      this.apiKey = null;
      return this;
    }

    /** Allows a plain {@code http://} base URI on a host other than loopback. Off by default. */
    public Builder allowInsecureHttp(boolean allow) {
      this.allowInsecureHttp = allow;
      return this;
    }

    /** Time allowed for one HTTP exchange; default 60 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /** Time allowed to connect; default 10 s. Ignored with {@link #httpClient}. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /** Retries after passing failures; default {@link RetryPolicy#defaults()}. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    /** Requests in flight at once; default 4. */
    public Builder maxConcurrentRequests(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentRequests must be at least 1, was " + max);
      }
      this.maxConcurrentRequests = max;
      return this;
    }

    /** The clock for elapsed times and retry deadlines; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How the client waits between attempts; tests pass a recording sleeper. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Source of jitter in [0, 1); tests pass a constant. */
    public Builder jitterSource(DoubleSupplier source) {
      this.jitterSource = Objects.requireNonNull(source, "jitterSource");
      return this;
    }

    /** Observer of every request; default none. */
    public Builder listener(EfficyListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Where contact pages come from; default {@link ContactSource#sql()}. */
    public Builder contactSource(ContactSource source) {
      this.contactSource = Objects.requireNonNull(source, "contactSource");
      return this;
    }

    /** How {@link #queryRows} sends stored-query parameters; default NAMED. */
    public Builder queryParameterStyle(QueryParameterStyle style) {
      this.queryParameterStyle = Objects.requireNonNull(style, "queryParameterStyle");
      return this;
    }

    /**
     * Look-ups sent in one request by {@link EfficyClient#findActivities(String, java.util.Collection)}
     * and {@link EfficyClient#contactKeysByEmail}: one function per id or address, this many
     * functions per request; default 100, at most 1,000.
     */
    public Builder lookupBatchSize(int size) {
      if (size < 1 || size > 1000) {
        throw new IllegalArgumentException("lookupBatchSize must be 1..1000, was " + size);
      }
      this.lookupBatchSize = size;
      return this;
    }

    /**
     * The key field of {@code Acti} rows; default {@code K_ACTION}. The notes show the table name
     * {@code ACTIONS} and the rule {@code K_<TABLE-SINGULAR>}; the field itself was not seen on a
     * real server, hence the setting.
     */
    public Builder activityKeyField(String field) {
      this.activityKeyField = EfficyNames.require("activity key field", field);
      return this;
    }

    /** Uses the given JDK client instead of building one (to share a pool across clients). */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "httpClient");
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException when the base URI or credentials are missing, or the base URI
     *     is plain http on a non-loopback host without {@link #allowInsecureHttp}
     */
    public EfficyClient build() {
      if (endpoint == null) {
        throw new IllegalStateException("EfficyClient needs a baseUri");
      }
      if (apiKey == null && user == null) {
        throw new IllegalStateException("EfficyClient needs an apiKey or a userPassword");
      }
      BaseUris.requireSafe(endpoint, allowInsecureHttp);
      return new EfficyClient(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}

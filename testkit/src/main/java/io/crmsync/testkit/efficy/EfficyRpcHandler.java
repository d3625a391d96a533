package io.crmsync.testkit.efficy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.http.EmulatorRequest;
import io.crmsync.testkit.http.EmulatorResponse;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Efficy JSON-RPC protocol at {@code /crm/json}, read independently of the project's client
 * from the protocol notes: a JSON array of contexts ({@code api}, {@code consult}, {@code edit},
 * {@code search}) with lowercase parameters and {@code @func} lists, answered in the same order
 * with every context and function echoed and {@code #result} filled in. HTTP 200 even for errors,
 * which come in the notes' three in-body shapes: an {@code exception} element (bad credentials, an
 * unknown entity, a stale session), {@code #error} on a function (unknown function, SQL error,
 * bad field) or on a context (unknown context), and an object instead of the array (a body that
 * is not an array, a wrong customer).
 */
public final class EfficyRpcHandler {

  /** Maps Efficy entity codes to tables and key fields. */
  private record Entity(String table, String key) {}

  private static final Map<String, Entity> ENTITIES = Map.of(
      "cont", new Entity("CONTACTS", "K_CONTACT"),
      "acti", new Entity("ACTIONS", "K_ACTION"),
      "prof", new Entity("PROFILES", "K_PROFILE"));

  private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
  private static final Pattern PARAM = Pattern.compile(":p(\\d+)");
  private static final int IMPLICIT_ROW_CAP = 10_000;

  private final EfficyDatabase db;
  private final ObjectMapper mapper;
  private final String apiKey;
  private final String user;
  private final String password;
  private final String customer;
  private final Consumer<List<ContactChange>> changes;
  /** Open sessions, oldest first; capped so clients that never send the cookie cannot exhaust memory. */
  private final Map<String, Boolean> sessions = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > 10_000;
        }
      });
  private volatile boolean httpUnauthorizedForBadCredentials;
  private volatile EfficyErrorShape errorShape = EfficyErrorShape.EXCEPTION_ELEMENT;
  /** How far ahead the session cookie's {@code expires} lies. */
  private static final java.time.Duration SESSION_LIFETIME = java.time.Duration.ofHours(1);

  /** A failure that replaces the whole answer with an {@code exception} element. */
  private static final class BatchError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    BatchError(String code, String text) {
      super(text, null, false, false);
      this.code = code;
    }
  }

  /** A failure reported as {@code #error} on the function. */
  private static final class FuncError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    FuncError(String code, String text) {
      super(text, null, false, false);
      this.code = code;
    }
  }

  /**
   * Creates the handler.
   *
   * @param changes receives the contact changes of each request, after it is processed
   */
  public EfficyRpcHandler(EfficyDatabase db, ObjectMapper mapper, String apiKey, String user,
      String password, String customer, Consumer<List<ContactChange>> changes) {
    this.db = db;
    this.mapper = mapper;
    this.apiKey = apiKey;
    this.user = user;
    this.password = password;
    this.customer = customer;
    this.changes = changes;
  }

  /** The shape of in-body errors; default {@link EfficyErrorShape#EXCEPTION_ELEMENT}. */
  public void errorShape(EfficyErrorShape shape) {
    this.errorShape = java.util.Objects.requireNonNull(shape, "shape");
  }

  /** Answer bad credentials with HTTP 401 instead of an exception element. */
  public void httpUnauthorizedForBadCredentials(boolean enabled) {
    this.httpUnauthorizedForBadCredentials = enabled;
  }

  /** Forgets every session, so the next request with an old cookie hears "Session timeout". */
  public void expireSessions() {
    sessions.clear();
  }

  /** Open sessions. */
  public int sessionCount() {
    return sessions.size();
  }

  /** Handles one HTTP request. */
  public EmulatorResponse handle(EmulatorRequest request) {
    if (!request.path().equals("/crm/json")) {
      return EmulatorResponse.json(404, "{\"error\":true,\"message\":\"not found\"}", "notfound");
    }
    if (!request.method().equals("POST")) {
      return EmulatorResponse.json(405, "{\"error\":true,\"message\":\"POST only\"}", "method");
    }
    String requestedCustomer = request.header("x-efficy-customer").orElse(queryCustomer(request));
    if (customer != null && requestedCustomer != null && !customer.equalsIgnoreCase(requestedCustomer)) {
      ObjectNode error = mapper.createObjectNode();
      error.putObject("#error").put("errorcode", "HOST").put("errorstring", "Invalid customer '" + requestedCustomer + "'");
      return EmulatorResponse.json(200, error.toString(), "error:customer");
    }
    JsonNode root;
    try {
      root = mapper.readTree(request.body());
    } catch (java.io.IOException e) {
      root = null;
    }
    if (root == null || !root.isArray()) {
      return EmulatorResponse.json(200, "{\"error\":true,\"code\":\"PARSE\",\"message\":"
          + "\"Request body is not a JSON array\",\"detail\":\"\"}", "error:body");
    }
    if (!authenticated(request)) {
      if (httpUnauthorizedForBadCredentials) {
        return EmulatorResponse.empty(401, "error:credentials");
      }
      return failed(root, mapper.createArrayNode(), 0, new BatchError("CORE-1243", "Invalid User"), "error:credentials");
    }
    String cookie = sessionCookie(request);
    String newSession = null;
    if (cookie != null && !sessions.containsKey(cookie)) {
      return failed(root, mapper.createArrayNode(), 0, new BatchError("", "Session timeout"), "error:session");
    }
    if (cookie == null) {
      java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
      newSession = String.format("%08X-%08X", random.nextInt(), random.nextInt());
      sessions.put(newSession, Boolean.TRUE);
    }
    List<ContactChange> changed = new ArrayList<>();
    ArrayNode answer = mapper.createArrayNode();
    List<String> routeParts = new ArrayList<>();
    EmulatorResponse response = null;
    for (JsonNode context : root) {
      try {
        answer.add(context(context, changed, routeParts));
      } catch (BatchError e) {
        if (errorShape == EfficyErrorShape.INLINE_ERROR) {
          ObjectNode echo = context.deepCopy();
          echo.putObject("#error").put("errorcode", e.code).put("errorstring", e.getMessage());
          answer.add(echo);
          continue;
        }
        response = failed(root, answer, answer.size(), e, "error:" + String.join(" ", routeParts));
        break;
      }
    }
    if (!changed.isEmpty()) {
      changes.accept(changed);
    }
    if (response == null) {
      response = EmulatorResponse.json(200, answer.toString(), String.join(" ", routeParts));
    }
    if (newSession != null) {
      // Notes §1: Set-Cookie carries path and expires; the npm client drops a cookie without a
      // future expires, so leaving it out makes every request open a new session.
      String expires = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
          java.time.ZonedDateTime.ofInstant(db.clock().instant().plus(SESSION_LIFETIME), java.time.ZoneOffset.UTC));
      response = response.withHeader("Set-Cookie",
          "EfficySession=" + newSession + "; path=/crm; expires=" + expires + "; HttpOnly");
    }
    String active = newSession != null ? newSession : cookie;
    if (request.header("x-efficy-logoff").map(v -> v.equalsIgnoreCase("true")).orElse(false)) {
      sessions.remove(active);
    }
    return response;
  }

  /**
   * The answer to a request that failed at context {@code failedAt}, in the configured shape. For
   * the exception element: the contexts answered so far, the rest echoed as sent (with their
   * {@code #id}, which clients match before they read the error), then the exception.
   */
  private EmulatorResponse failed(JsonNode request, ArrayNode answered, int failedAt, BatchError e, String route) {
    ObjectNode error = mapper.createObjectNode();
    switch (errorShape) {
      case ERROR_OBJECT:
        error.putObject("#error").put("errorcode", e.code).put("errorstring", e.getMessage());
        return EmulatorResponse.json(200, error.toString(), route);
      case ERROR_FLAG_OBJECT:
        error.put("error", true).put("code", e.code).put("message", e.getMessage()).put("detail", "");
        return EmulatorResponse.json(200, error.toString(), route);
      case INLINE_ERROR:
        ArrayNode inline = mapper.createArrayNode();
        for (JsonNode context : request) {
          ObjectNode echo = context.deepCopy();
          echo.putObject("#error").put("errorcode", e.code).put("errorstring", e.getMessage());
          inline.add(echo);
        }
        return EmulatorResponse.json(200, inline.toString(), route);
      default:
        ArrayNode answer = answered.deepCopy();
        for (int i = failedAt; i < request.size(); i++) {
          answer.add(request.get(i).deepCopy());
        }
        ObjectNode exception = answer.addObject();
        exception.put("@name", "exception");
        exception.putObject("#error").put("errorcode", e.code).put("errorstring", e.getMessage());
        return EmulatorResponse.json(200, answer.toString(), route);
    }
  }

  private static String queryCustomer(EmulatorRequest request) {
    String query = request.uri().getQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("customer=")) {
        return java.net.URLDecoder.decode(pair.substring(9), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private boolean authenticated(EmulatorRequest request) {
    var key = request.header("x-efficy-apikey");
    if (key.isPresent()) {
      return key.get().equals(apiKey);
    }
    return user != null && request.header("x-efficy-user").map(user::equals).orElse(false)
        && request.header("x-efficy-pwd").map(password::equals).orElse(false);
  }

  private static String sessionCookie(EmulatorRequest request) {
    for (String header : request.headers().getOrDefault("cookie", List.of())) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith("EfficySession=")) {
          return p.substring("EfficySession=".length());
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------

  private ObjectNode context(JsonNode request, List<ContactChange> changed, List<String> route) {
    ObjectNode echo = request.deepCopy();
    ArrayNode funcs = mapper.createArrayNode();
    echo.set("@func", funcs);
    String name = request.path("@name").asText("").toLowerCase(Locale.ROOT);
    List<String> funcNames = new ArrayList<>();
    request.path("@func").forEach(f -> funcNames.add(f.path("@name").asText("")));
    route.add(name + ":" + String.join(",", funcNames));
    EfficyVocabulary.auditContext(name, request);
    request.path("@func").forEach(f -> EfficyVocabulary.auditFunc(name, f));
    switch (name) {
      case "api":
        for (JsonNode func : request.path("@func")) {
          funcs.add(apiFunc(func, changed));
        }
        return echo;
      case "consult":
        return consult(request, echo, funcs);
      case "edit":
        return edit(request, echo, funcs, changed);
      case "search":
        return search(request, echo, funcs);
      default:
        throw new BatchError("CONTEXT", "Unknown context '" + name + "'");
    }
  }

  /**
   * A function failed: inline {@code #error} on it in {@link EfficyErrorShape#INLINE_ERROR}, else
   * the whole request fails in the configured shape.
   */
  private void funcFailed(ObjectNode out, FuncError e) {
    if (errorShape != EfficyErrorShape.INLINE_ERROR) {
      throw new BatchError(e.code, e.getMessage());
    }
    out.putObject("#error").put("errorcode", e.code).put("errorstring", e.getMessage());
  }

  private ObjectNode apiFunc(JsonNode func, List<ContactChange> changed) {
    ObjectNode out = func.deepCopy();
    String name = func.path("@name").asText("");
    try {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "currentuserid":
          out.put("#result", "1");
          break;
        case "currentusername":
          out.put("#result", "APIUSER");
          break;
        case "currentuserfullname":
          out.put("#result", "API User");
          break;
        case "currentdatabasealias":
          out.put("#result", customer == null ? "efficy" : customer);
          break;
        case "currentlicensename":
          out.put("#result", "Efficy Enterprise (emulator)");
          break;
        case "currentusergroups":
          out.put("#result", "1;28");
          break;
        case "currentdatabasetimezone":
        case "currentusertimezone":
          out.put("#result", "UTC");
          break;
        case "systemsettings":
          ObjectNode list = out.putObject("#result");
          list.put("#class", "stringlist");
          list.putArray("#data").add("Version=12.1.3").add("TimeZone=UTC").add("Emulator=crmsync-testkit");
          break;
        case "userlist":
          out.set("#result", dataset(db.rows("select K_USER, USERCODE, FULLNAME, KIND from USERS order by K_USER")));
          break;
        case "executesqlquery":
          out.set("#result", sql(func.path("sql").asText(""), splitParams(func.path("queryparams").asText(""), "\n"),
              recordCount(func)));
          break;
        case "query":
          out.set("#result", storedQuery(func));
          break;
        case "consultmanyex":
          out.set("#result", consultMany(func));
          break;
        case "addlink":
        case "deletelink":
          link(func, name.equalsIgnoreCase("addlink"), changed);
          out.put("#result", true);
          break;
        case "delete":
          delete(func, changed);
          out.put("#result", true);
          break;
        case "contactidsfromemailaddresses":
          out.set("#result", contactsByEmail(func.path("recipients").asText("")));
          break;
        default:
          throw new FuncError("FUNC", "Unknown function '" + name + "'");
      }
    } catch (FuncError e) {
      funcFailed(out, e);
    }
    return out;
  }

  private int recordCount(JsonNode func) {
    JsonNode rc = func.get("recordcount");
    if (rc == null || rc.isNull()) {
      return IMPLICIT_ROW_CAP; // no recordcount: the server's implicit cap
    }
    return Math.max(0, rc.asInt());
  }

  private static List<String> splitParams(String joined, String separator) {
    if (joined.isEmpty()) {
      return List.of();
    }
    return Arrays.asList(joined.split(Pattern.quote(separator), -1));
  }

  private ObjectNode sql(String sql, List<String> params, int max) {
    String trimmed = sql.trim().toLowerCase(Locale.ROOT);
    if (!(trimmed.startsWith("select") || trimmed.startsWith("with")) || sql.contains(";")) {
      throw new FuncError("SQL", "EEfficyServerError - only single select statements may be run");
    }
    Matcher m = PARAM.matcher(sql);
    List<Object> values = new ArrayList<>();
    StringBuilder jdbc = new StringBuilder();
    while (m.find()) {
      int index = Integer.parseInt(m.group(1));
      if (index < 1 || index > params.size()) {
        throw new FuncError("SQL", "EEfficyServerError - parameter :p" + index + " has no value");
      }
      values.add(params.get(index - 1));
      m.appendReplacement(jdbc, "?");
    }
    m.appendTail(jdbc);
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(jdbc.toString())) {
      for (int i = 0; i < values.size(); i++) {
        ps.setObject(i + 1, values.get(i));
      }
      if (max > 0) {
        ps.setMaxRows(max);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return dataset(EfficyDatabase.read(rs, max));
      }
    } catch (SQLException e) {
      throw new FuncError("SQL", "EEfficyServerError - " + e.getMessage().split("\n")[0]);
    }
  }

  private ObjectNode storedQuery(JsonNode func) {
    long key = func.path("key").asLong(0);
    List<Map<String, Object>> q = db.rows("select SQL_TEXT from QUERIES where K_QUERY = ?", key);
    if (q.isEmpty()) {
      throw new FuncError("QUERY", "Query " + key + " does not exist");
    }
    List<String> params = new ArrayList<>();
    if (func.has("queryparams")) {
      params.addAll(splitParams(func.get("queryparams").asText(""), "|"));
    } else {
      for (int i = 1; func.has("param" + i); i++) {
        params.add(func.get("param" + i).asText());
      }
    }
    return sql((String) q.get(0).get("SQL_TEXT"), params, recordCount(func));
  }

  private Entity entity(String code) {
    Entity e = ENTITIES.get(code.toLowerCase(Locale.ROOT));
    if (e == null) {
      throw new BatchError("TAGS-2108", "EEfficyException - Invalid Entity \"" + code + "\"");
    }
    return e;
  }

  private String column(String table, String field) {
    String upper = field.toUpperCase(Locale.ROOT);
    if (!upper.matches("[A-Z0-9_$]+") || !db.columnsOf(table).contains(upper)) {
      throw new FuncError("FIELD", "Invalid field '" + field + "' for table " + table);
    }
    return upper;
  }

  /**
   * {@code consultmanyex} as the notes give it (§3.4): exact-match selection, several fields
   * joined by the separator in {@code findfield} and as many values in {@code keys}, combined with
   * "and". It is not an IN list: a field count that differs from the value count is an error.
   */
  private ObjectNode consultMany(JsonNode func) {
    Entity e = entity(func.path("entity").asText(""));
    String separator = func.path("separator").asText(";");
    if (separator.isEmpty()) {
      throw new FuncError("CONSULTMANY", "consultmanyex needs a separator");
    }
    List<String> fields = splitParams(func.path("findfield").asText(""), separator);
    List<String> values = splitParams(func.path("keys").asText(""), separator);
    if (fields.isEmpty() || fields.size() != values.size()) {
      throw new FuncError("CONSULTMANY", "consultmanyex: findfield names " + fields.size() + " field(s) but keys holds "
          + values.size() + " value(s)");
    }
    List<String> where = new ArrayList<>();
    for (String f : fields) {
      where.add(column(e.table(), f.trim()) + " = ?");
    }
    String order = func.hasNonNull("orderbyfield") ? orderBy(e.table(), func.get("orderbyfield").asText()) : e.key();
    return dataset(db.rows("select * from " + e.table() + " where " + String.join(" and ", where) + " order by " + order,
        values.toArray()));
  }

  private String orderBy(String table, String spec) {
    String[] parts = spec.trim().split("\\s+");
    String col = column(table, parts[0]);
    return parts.length > 1 && parts[1].equalsIgnoreCase("desc") ? col + " desc" : col;
  }

  private void link(JsonNode func, boolean add, List<ContactChange> changed) {
    Entity e = entity(func.path("entity").asText(""));
    String detail = func.path("detail").asText("");
    if (!e.table().equals("CONTACTS") || !detail.equalsIgnoreCase("Prof")) {
      throw new FuncError("LINK", "Links are emulated between Cont and Prof only");
    }
    long contact = func.path("key").asLong(0);
    long profile = Long.parseLong(func.path("detailkey").asText("0").split("_")[0]);
    if (db.rows("select 1 from CONTACTS where K_CONTACT = ?", contact).isEmpty()) {
      throw new FuncError("LINK", "Contact " + contact + " does not exist");
    }
    if (db.rows("select 1 from PROFILES where K_PROFILE = ?", profile).isEmpty()) {
      throw new FuncError("LINK", "Profile " + profile + " does not exist");
    }
    boolean exists = !db.rows("select 1 from CONT_PROF where K_CONTACT = ? and K_PROFILE = ?", contact, profile).isEmpty();
    Timestamp at = db.nextChange();
    if (add) {
      if (exists) {
        if (!func.path("ignoreexisting").asBoolean(false)) {
          throw new FuncError("LINK", "The link already exists");
        }
        return;
      }
      db.update("insert into CONT_PROF(K_CONTACT, K_PROFILE, D_CHANGE) values (?,?,?)", contact, profile, at);
    } else {
      if (!exists) {
        return;
      }
      db.update("delete from CONT_PROF where K_CONTACT = ? and K_PROFILE = ?", contact, profile);
    }
    db.update("update CONTACTS set D_CHANGE = ? where K_CONTACT = ?", at, contact);
    changed.add(new ContactChange(contact, "Update", Map.of()));
  }

  private void delete(JsonNode func, List<ContactChange> changed) {
    Entity e = entity(func.path("entity").asText(""));
    for (String k : splitParams(func.path("keys").asText(""), ";")) {
      long key = Long.parseLong(k.trim());
      int n = db.update("delete from " + e.table() + " where " + e.key() + " = ?", key);
      if (e.table().equals("CONTACTS") && n > 0) {
        db.update("delete from CONT_PROF where K_CONTACT = ?", key);
        db.update("delete from \"CONT$MARKETING\" where K_CONTACT = ?", key);
        changed.add(new ContactChange(key, "Delete", Map.of()));
      }
      if (e.table().equals("ACTIONS")) {
        db.update("delete from ACTI_CONT where K_ACTION = ?", key);
        db.update("delete from ACTI_USER where K_ACTION = ?", key);
      }
    }
  }

  private ObjectNode contactsByEmail(String recipients) {
    List<String> addresses = splitParams(recipients, ";").stream().map(a -> a.trim().toLowerCase(Locale.ROOT))
        .filter(a -> !a.isEmpty()).toList();
    if (addresses.isEmpty()) {
      return dataset(List.of());
    }
    String marks = String.join(",", addresses.stream().map(a -> "?").toList());
    // The notes do not document the answer's columns; the emulator gives only the contact key, so
    // a client cannot come to rely on a column a real server may not send.
    return dataset(db.rows("select K_CONTACT from CONTACTS where lower(EMAIL1) in (" + marks
        + ") order by K_CONTACT", addresses.toArray()));
  }

  // ---------------------------------------------------------------------------------------------

  private ObjectNode consult(JsonNode request, ObjectNode echo, ArrayNode funcs) {
    Entity e = entity(request.path("entity").asText(""));
    long key = request.path("key").asLong(0);
    echo.put("key", Long.toString(key));
    echo.put("consulthandle", "1");
    for (JsonNode func : request.path("@func")) {
      ObjectNode out = func.deepCopy();
      try {
        switch (func.path("@name").asText("").toLowerCase(Locale.ROOT)) {
          case "master":
            out.set("#result", dataset(db.rows("select * from " + e.table() + " where " + e.key() + " = ?", key)));
            break;
          case "category":
            String category = func.path("category").asText("").toUpperCase(Locale.ROOT);
            if (!category.equals("CONT$MARKETING") || !e.table().equals("CONTACTS")) {
              throw new FuncError("CATEGORY", "Invalid category '" + category + "'");
            }
            out.set("#result", dataset(db.rows("select * from \"CONT$MARKETING\" where K_CONTACT = ?", key)));
            break;
          case "detail":
            out.set("#result", detail(e, key, func.path("detail").asText("")));
            break;
          default:
            throw new FuncError("FUNC", "Unknown function '" + func.path("@name").asText() + "'");
        }
      } catch (FuncError err) {
        funcFailed(out, err);
      }
      funcs.add(out);
    }
    return echo;
  }

  private ObjectNode detail(Entity e, long key, String detail) {
    String d = detail.toLowerCase(Locale.ROOT);
    if (e.table().equals("CONTACTS") && d.equals("prof")) {
      return dataset(db.rows("select p.K_PROFILE, p.NAME, r.D_CHANGE from CONT_PROF r join PROFILES p"
          + " on p.K_PROFILE = r.K_PROFILE where r.K_CONTACT = ? order by p.K_PROFILE", key));
    }
    if (e.table().equals("CONTACTS") && d.equals("acti")) {
      return dataset(db.rows("select a.* from ACTI_CONT r join ACTIONS a on a.K_ACTION = r.K_ACTION"
          + " where r.K_CONTACT = ? order by a.K_ACTION", key));
    }
    if (e.table().equals("ACTIONS") && d.equals("cont")) {
      return dataset(db.rows("select c.* from ACTI_CONT r join CONTACTS c on c.K_CONTACT = r.K_CONTACT"
          + " where r.K_ACTION = ?", key));
    }
    throw new FuncError("DETAIL", "Invalid detail '" + detail + "'");
  }

  private ObjectNode edit(JsonNode request, ObjectNode echo, ArrayNode funcs, List<ContactChange> changed) {
    Entity e = entity(request.path("entity").asText(""));
    long key = request.path("key").asLong(0);
    boolean commit = request.path("commit").asBoolean(false);
    Map<String, Object> master = new LinkedHashMap<>();
    Map<String, Object> category = new LinkedHashMap<>();
    List<long[]> links = new ArrayList<>();
    List<Long> unlinks = new ArrayList<>();
    List<Long> users = null;
    boolean failed = false;
    for (JsonNode func : request.path("@func")) {
      ObjectNode out = func.deepCopy();
      try {
        String name = func.path("@name").asText("").toLowerCase(Locale.ROOT);
        switch (name) {
          case "update":
            JsonNode data = func.path("@data");
            String cat = func.path("category").asText("");
            String table = cat.isEmpty() ? e.table() : checkedCategory(e, cat);
            Map<String, Object> target = cat.isEmpty() ? master : category;
            data.fields().forEachRemaining(f -> target.put(column(table, f.getKey()), value(table, f.getKey(), f.getValue())));
            break;
          case "insertdetail":
          case "deletedetail":
            String detail = func.path("detail").asText("").toLowerCase(Locale.ROOT);
            long detailKey = Long.parseLong(func.path("detailkey").asText("0").split("_")[0]);
            boolean insert = name.equals("insertdetail");
            if (e.table().equals("ACTIONS") && detail.equals("cont")) {
              if (db.rows("select 1 from CONTACTS where K_CONTACT = ?", detailKey).isEmpty()) {
                throw new FuncError("DETAIL", "Contact " + detailKey + " does not exist");
              }
              if (insert) {
                links.add(new long[] {detailKey});
              } else {
                unlinks.add(detailKey);
              }
            } else if (e.table().equals("CONTACTS") && detail.equals("prof")) {
              if (db.rows("select 1 from PROFILES where K_PROFILE = ?", detailKey).isEmpty()) {
                throw new FuncError("DETAIL", "Profile " + detailKey + " does not exist");
              }
              if (insert) {
                links.add(new long[] {detailKey});
              } else {
                unlinks.add(detailKey);
              }
            } else {
              throw new FuncError("DETAIL", "Invalid detail '" + func.path("detail").asText() + "'");
            }
            break;
          case "setusers":
            if (!e.table().equals("ACTIONS")) {
              throw new FuncError("USERS", "setusers is emulated on Acti only");
            }
            users = new ArrayList<>();
            for (JsonNode u : func.path("users")) {
              long k = u.asLong();
              if (db.rows("select 1 from USERS where K_USER = ?", k).isEmpty()) {
                throw new FuncError("USERS", "User " + k + " does not exist");
              }
              users.add(k);
            }
            break;
          case "activatecategory":
            checkedCategory(e, func.path("category").asText(""));
            break;
          default:
            throw new FuncError("FUNC", "Unknown function '" + func.path("@name").asText() + "'");
        }
      } catch (FuncError err) {
        failed = true;
        funcFailed(out, err);
      }
      funcs.add(out);
    }
    echo.put("edithandle", "1");
    if (!commit || failed) {
      echo.put("key", Long.toString(key));
      return echo;
    }
    long saved = save(e, key, master, category, links, unlinks, users, changed);
    echo.put("key", Long.toString(saved));
    return echo;
  }

  private String checkedCategory(Entity e, String category) {
    if (!category.equalsIgnoreCase("CONT$MARKETING") || !e.table().equals("CONTACTS")) {
      throw new FuncError("CATEGORY", "Invalid category '" + category + "'");
    }
    return "CONT$MARKETING";
  }

  private Object value(String table, String field, JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    String column = field.toUpperCase(Locale.ROOT);
    String text = v.asText();
    if (column.startsWith("D_") || column.equals("F_LAST_OPENED")) {
      if (text.isBlank()) {
        return null;
      }
      try {
        return Timestamp.valueOf(LocalDateTime.parse(text.trim().replace(' ', 'T')));
      } catch (RuntimeException e) {
        throw new FuncError("VALUE", "Invalid date for field " + column);
      }
    }
    if (Set.of("OPENED", "F_NEWSLETTER", "F_SMS_OPTIN", "F_BOUNCED", "PLANNED", "DONE").contains(column)) {
      if (!text.equals("0") && !text.equals("1")) {
        throw new FuncError("VALUE", "Field " + column + " takes 0 or 1");
      }
      return text;
    }
    return text;
  }

  private long save(Entity e, long key, Map<String, Object> master, Map<String, Object> category,
      List<long[]> links, List<Long> unlinks, List<Long> users, List<ContactChange> changed) {
    Timestamp at = db.nextChange();
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      long id = key;
      boolean contact = e.table().equals("CONTACTS");
      Map<String, Object> row = new LinkedHashMap<>(master);
      if (db.columnsOf(e.table()).contains("D_CHANGE")) {
        row.put("D_CHANGE", at);
      }
      if (key == 0) {
        if (contact) {
          row.put("D_CREATE", at);
        }
        String cols = String.join(", ", row.keySet());
        String marks = String.join(",", row.keySet().stream().map(k -> "?").toList());
        try (PreparedStatement ps = c.prepareStatement("insert into " + e.table() + "(" + cols + ") values (" + marks + ")",
            Statement.RETURN_GENERATED_KEYS)) {
          bind(ps, row.values());
          ps.executeUpdate();
          try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
          }
        }
      } else {
        String sets = String.join(", ", row.keySet().stream().map(k -> k + " = ?").toList());
        try (PreparedStatement ps = c.prepareStatement("update " + e.table() + " set " + sets + " where " + e.key() + " = ?")) {
          List<Object> values = new ArrayList<>(row.values());
          values.add(key);
          bind(ps, values);
          if (ps.executeUpdate() == 0) {
            c.rollback();
            throw new BatchError("EDIT", "Record " + key + " of " + e.table() + " does not exist");
          }
        }
      }
      if (!category.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("merge into \"CONT$MARKETING\"(K_CONTACT, "
            + String.join(", ", category.keySet()) + ") key(K_CONTACT) values (?"
            + ",?".repeat(category.size()) + ")")) {
          List<Object> values = new ArrayList<>();
          values.add(id);
          values.addAll(category.values());
          bind(ps, values);
          ps.executeUpdate();
        }
      }
      for (long[] link : links) {
        String sql = contact
            ? "merge into CONT_PROF(K_CONTACT, K_PROFILE, D_CHANGE) key(K_CONTACT, K_PROFILE) values (?,?,?)"
            : "merge into ACTI_CONT(K_ACTION, K_CONTACT) key(K_ACTION, K_CONTACT) values (?,?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setLong(1, id);
          ps.setLong(2, link[0]);
          if (contact) {
            ps.setTimestamp(3, at);
          }
          ps.executeUpdate();
        }
      }
      for (long unlink : unlinks) {
        String sql = contact ? "delete from CONT_PROF where K_CONTACT = ? and K_PROFILE = ?"
            : "delete from ACTI_CONT where K_ACTION = ? and K_CONTACT = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setLong(1, id);
          ps.setLong(2, unlink);
          ps.executeUpdate();
        }
      }
      if (users != null) {
        try (PreparedStatement ps = c.prepareStatement("delete from ACTI_USER where K_ACTION = ?")) {
          ps.setLong(1, id);
          ps.executeUpdate();
        }
        for (long u : users) {
          try (PreparedStatement ps = c.prepareStatement("insert into ACTI_USER(K_ACTION, K_USER) values (?,?)")) {
            ps.setLong(1, id);
            ps.setLong(2, u);
            ps.executeUpdate();
          }
        }
      }
      c.commit();
      if (contact) {
        Map<String, Object> fields = new LinkedHashMap<>(master);
        fields.putAll(category);
        changed.add(new ContactChange(id, key == 0 ? "Create" : "Update", fields));
      }
      return id;
    } catch (SQLException ex) {
      throw new BatchError("SQL", "EEfficyServerError - " + ex.getMessage().split("\n")[0]);
    }
  }

  private static void bind(PreparedStatement ps, java.util.Collection<Object> values) throws SQLException {
    int i = 1;
    for (Object v : values) {
      ps.setObject(i++, v);
    }
  }

  private ObjectNode search(JsonNode request, ObjectNode echo, ArrayNode funcs) {
    Entity e = entity(request.path("entity").asText(""));
    if (!e.table().equals("CONTACTS")) {
      throw new BatchError("SEARCH", "Search is emulated on Cont only");
    }
    String value = "%" + request.path("value").asText("").toLowerCase(Locale.ROOT) + "%";
    for (JsonNode func : request.path("@func")) {
      ObjectNode out = func.deepCopy();
      out.set("#result", dataset(db.rows("select * from CONTACTS where lower(NAME) like ? or lower(FIRSTNAME) like ?"
          + " or lower(EMAIL1) like ? order by K_CONTACT", value, value, value)));
      funcs.add(out);
    }
    return echo;
  }

  private ObjectNode dataset(List<Map<String, Object>> rows) {
    ObjectNode result = mapper.createObjectNode();
    result.put("#class", "dataset");
    ArrayNode data = result.putArray("#data");
    for (Map<String, Object> row : rows) {
      ObjectNode r = data.addObject();
      row.forEach((k, v) -> {
        if (v == null) {
          r.putNull(k);
        } else if (v instanceof LocalDateTime t) {
          r.put(k, OUT.format(t));
        } else if (v instanceof Long l) {
          r.put(k, l);
        } else if (v instanceof Integer n) {
          r.put(k, n);
        } else if (v instanceof BigDecimal d) {
          r.put(k, d);
        } else {
          r.put(k, v.toString());
        }
      });
    }
    return result;
  }
}

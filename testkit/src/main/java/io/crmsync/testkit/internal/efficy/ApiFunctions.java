package io.crmsync.testkit.internal.efficy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.efficy.ContactChange;
import io.crmsync.testkit.efficy.EfficyDatabase;
import io.crmsync.testkit.internal.efficy.RpcSupport.Entity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions of the {@code api} context: session facts, SQL, stored queries,
 * {@code consultmanyex}, links, deletes and the look-up by e-mail address. Package-private.
 */
final class ApiFunctions {

    private static final Pattern PARAM = Pattern.compile(":p(\\d+)");

    private final EfficyDatabase db;
    private final RpcSupport support;
    private final String customer;

    ApiFunctions(EfficyDatabase db, RpcSupport support, String customer) {
        this.db = db;
        this.support = support;
        this.customer = customer;
    }

    ObjectNode apiFunc(JsonNode func, List<ContactChange> changed) {
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
                    list.putArray("#data")
                            .add("Version=12.1.3")
                            .add("TimeZone=UTC")
                            .add("Emulator=crmsync-testkit");
                    break;
                case "userlist":
                    out.set(
                            "#result",
                            support.dataset(
                                    db.rows("select K_USER, USERCODE, FULLNAME, KIND from USERS order by K_USER")));
                    break;
                case "executesqlquery":
                    out.set(
                            "#result",
                            sql(
                                    func.path("sql").asText(""),
                                    RpcSupport.splitParams(
                                            func.path("queryparams").asText(""), "\n"),
                                    RpcSupport.recordCount(func)));
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
            support.funcFailed(out, e);
        }
        return out;
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
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(jdbc.toString())) {
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            if (max > 0) {
                ps.setMaxRows(max);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return support.dataset(EfficyDatabase.read(rs, max));
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
            params.addAll(RpcSupport.splitParams(func.get("queryparams").asText(""), "|"));
        } else {
            for (int i = 1; func.has("param" + i); i++) {
                params.add(func.get("param" + i).asText());
            }
        }
        return sql((String) q.get(0).get("SQL_TEXT"), params, RpcSupport.recordCount(func));
    }

    /**
     * {@code consultmanyex} as the notes give it (§3.4): exact-match selection, several fields
     * joined by the separator in {@code findfield} and as many values in {@code keys}, combined with
     * "and". It is not an IN list: a field count that differs from the value count is an error.
     */
    ObjectNode consultMany(JsonNode func) {
        Entity e = support.entity(func.path("entity").asText(""));
        String separator = func.path("separator").asText(";");
        if (separator.isEmpty()) {
            throw new FuncError("CONSULTMANY", "consultmanyex needs a separator");
        }
        List<String> fields = RpcSupport.splitParams(func.path("findfield").asText(""), separator);
        List<String> values = RpcSupport.splitParams(func.path("keys").asText(""), separator);
        if (fields.isEmpty() || fields.size() != values.size()) {
            throw new FuncError(
                    "CONSULTMANY",
                    "consultmanyex: findfield names " + fields.size() + " field(s) but keys holds " + values.size()
                            + " value(s)");
        }
        List<String> where = new ArrayList<>();
        for (String f : fields) {
            where.add(support.column(e.table(), f.trim()) + " = ?");
        }
        String order = func.hasNonNull("orderbyfield")
                ? orderBy(e.table(), func.get("orderbyfield").asText())
                : e.key();
        return support.dataset(db.rows(
                "select * from " + e.table() + " where " + String.join(" and ", where) + " order by " + order,
                values.toArray()));
    }

    private String orderBy(String table, String spec) {
        String[] parts = spec.trim().split("\\s+");
        String col = support.column(table, parts[0]);
        return parts.length > 1 && parts[1].equalsIgnoreCase("desc") ? col + " desc" : col;
    }

    private void link(JsonNode func, boolean add, List<ContactChange> changed) {
        Entity e = support.entity(func.path("entity").asText(""));
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
        boolean exists = !db.rows("select 1 from CONT_PROF where K_CONTACT = ? and K_PROFILE = ?", contact, profile)
                .isEmpty();
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
        Entity e = support.entity(func.path("entity").asText(""));
        for (String k : RpcSupport.splitParams(func.path("keys").asText(""), ";")) {
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
        List<String> addresses = RpcSupport.splitParams(recipients, ";").stream()
                .map(a -> a.trim().toLowerCase(Locale.ROOT))
                .filter(a -> !a.isEmpty())
                .toList();
        if (addresses.isEmpty()) {
            return support.dataset(List.of());
        }
        String marks = String.join(",", addresses.stream().map(a -> "?").toList());
        // The notes do not document the answer's columns; the emulator gives only the contact key, so
        // a client cannot come to rely on a column a real server may not send.
        return support.dataset(db.rows(
                "select K_CONTACT from CONTACTS where lower(EMAIL1) in (" + marks + ") order by K_CONTACT",
                addresses.toArray()));
    }
}

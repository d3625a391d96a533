package io.crmsync.testkit.internal.efficy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.efficy.ContactChange;
import io.crmsync.testkit.efficy.EfficyDatabase;
import io.crmsync.testkit.internal.efficy.RpcSupport.Entity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code edit} context: master and category updates, detail inserts and deletes, users, and
 * the committed save in one transaction. Package-private.
 */
final class EditContext {

    private final EfficyDatabase db;
    private final RpcSupport support;

    EditContext(EfficyDatabase db, RpcSupport support) {
        this.db = db;
        this.support = support;
    }

    ObjectNode edit(JsonNode request, ObjectNode echo, ArrayNode funcs, List<ContactChange> changed) {
        Entity e = support.entity(request.path("entity").asText(""));
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
                        data.fields()
                                .forEachRemaining(f -> target.put(
                                        support.column(table, f.getKey()), value(table, f.getKey(), f.getValue())));
                        break;
                    case "insertdetail":
                    case "deletedetail":
                        String detail = func.path("detail").asText("").toLowerCase(Locale.ROOT);
                        long detailKey = Long.parseLong(
                                func.path("detailkey").asText("0").split("_")[0]);
                        boolean insert = name.equals("insertdetail");
                        if (e.table().equals("ACTIONS") && detail.equals("cont")) {
                            if (db.rows("select 1 from CONTACTS where K_CONTACT = ?", detailKey)
                                    .isEmpty()) {
                                throw new FuncError("DETAIL", "Contact " + detailKey + " does not exist");
                            }
                            if (insert) {
                                links.add(new long[] {detailKey});
                            } else {
                                unlinks.add(detailKey);
                            }
                        } else if (e.table().equals("CONTACTS") && detail.equals("prof")) {
                            if (db.rows("select 1 from PROFILES where K_PROFILE = ?", detailKey)
                                    .isEmpty()) {
                                throw new FuncError("DETAIL", "Profile " + detailKey + " does not exist");
                            }
                            if (insert) {
                                links.add(new long[] {detailKey});
                            } else {
                                unlinks.add(detailKey);
                            }
                        } else {
                            throw new FuncError(
                                    "DETAIL",
                                    "Invalid detail '" + func.path("detail").asText() + "'");
                        }
                        break;
                    case "setusers":
                        if (!e.table().equals("ACTIONS")) {
                            throw new FuncError("USERS", "setusers is emulated on Acti only");
                        }
                        users = new ArrayList<>();
                        for (JsonNode u : func.path("users")) {
                            long k = u.asLong();
                            if (db.rows("select 1 from USERS where K_USER = ?", k)
                                    .isEmpty()) {
                                throw new FuncError("USERS", "User " + k + " does not exist");
                            }
                            users.add(k);
                        }
                        break;
                    case "activatecategory":
                        checkedCategory(e, func.path("category").asText(""));
                        break;
                    default:
                        throw new FuncError(
                                "FUNC",
                                "Unknown function '" + func.path("@name").asText() + "'");
                }
            } catch (FuncError err) {
                failed = true;
                support.funcFailed(out, err);
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
        if (Set.of("OPENED", "F_NEWSLETTER", "F_SMS_OPTIN", "F_BOUNCED", "PLANNED", "DONE")
                .contains(column)) {
            if (!text.equals("0") && !text.equals("1")) {
                throw new FuncError("VALUE", "Field " + column + " takes 0 or 1");
            }
            return text;
        }
        return text;
    }

    private long save(
            Entity e,
            long key,
            Map<String, Object> master,
            Map<String, Object> category,
            List<long[]> links,
            List<Long> unlinks,
            List<Long> users,
            List<ContactChange> changed) {
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
                String marks =
                        String.join(",", row.keySet().stream().map(k -> "?").toList());
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into " + e.table() + "(" + cols + ") values (" + marks + ")",
                        Statement.RETURN_GENERATED_KEYS)) {
                    RpcSupport.bind(ps, row.values());
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
            } else {
                String sets = String.join(
                        ", ", row.keySet().stream().map(k -> k + " = ?").toList());
                try (PreparedStatement ps =
                        c.prepareStatement("update " + e.table() + " set " + sets + " where " + e.key() + " = ?")) {
                    List<Object> values = new ArrayList<>(row.values());
                    values.add(key);
                    RpcSupport.bind(ps, values);
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
                    RpcSupport.bind(ps, values);
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
                String sql = contact
                        ? "delete from CONT_PROF where K_CONTACT = ? and K_PROFILE = ?"
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
                    try (PreparedStatement ps =
                            c.prepareStatement("insert into ACTI_USER(K_ACTION, K_USER) values (?,?)")) {
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
            throw new BatchError(
                    "SQL", "EEfficyServerError - " + ex.getMessage().split("\n")[0]);
        }
    }
}

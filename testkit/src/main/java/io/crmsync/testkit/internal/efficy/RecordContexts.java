package io.crmsync.testkit.internal.efficy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.efficy.EfficyDatabase;
import io.crmsync.testkit.internal.efficy.RpcSupport.Entity;
import java.util.Locale;

/** The {@code consult} and {@code search} contexts: master, category and detail reads. Package-private. */
final class RecordContexts {

    private final EfficyDatabase db;
    private final RpcSupport support;

    RecordContexts(EfficyDatabase db, RpcSupport support) {
        this.db = db;
        this.support = support;
    }

    ObjectNode consult(JsonNode request, ObjectNode echo, ArrayNode funcs) {
        Entity e = support.entity(request.path("entity").asText(""));
        long key = request.path("key").asLong(0);
        echo.put("key", Long.toString(key));
        echo.put("consulthandle", "1");
        for (JsonNode func : request.path("@func")) {
            ObjectNode out = func.deepCopy();
            try {
                switch (func.path("@name").asText("").toLowerCase(Locale.ROOT)) {
                    case "master":
                        out.set(
                                "#result",
                                support.dataset(
                                        db.rows("select * from " + e.table() + " where " + e.key() + " = ?", key)));
                        break;
                    case "category":
                        String category = func.path("category").asText("").toUpperCase(Locale.ROOT);
                        if (!category.equals("CONT$MARKETING") || !e.table().equals("CONTACTS")) {
                            throw new FuncError("CATEGORY", "Invalid category '" + category + "'");
                        }
                        out.set(
                                "#result",
                                support.dataset(db.rows("select * from \"CONT$MARKETING\" where K_CONTACT = ?", key)));
                        break;
                    case "detail":
                        out.set("#result", detail(e, key, func.path("detail").asText("")));
                        break;
                    default:
                        throw new FuncError(
                                "FUNC",
                                "Unknown function '" + func.path("@name").asText() + "'");
                }
            } catch (FuncError err) {
                support.funcFailed(out, err);
            }
            funcs.add(out);
        }
        return echo;
    }

    private ObjectNode detail(Entity e, long key, String detail) {
        String d = detail.toLowerCase(Locale.ROOT);
        if (e.table().equals("CONTACTS") && d.equals("prof")) {
            return support.dataset(db.rows(
                    "select p.K_PROFILE, p.NAME, r.D_CHANGE from CONT_PROF r join PROFILES p"
                            + " on p.K_PROFILE = r.K_PROFILE where r.K_CONTACT = ? order by p.K_PROFILE",
                    key));
        }
        if (e.table().equals("CONTACTS") && d.equals("acti")) {
            return support.dataset(db.rows(
                    "select a.* from ACTI_CONT r join ACTIONS a on a.K_ACTION = r.K_ACTION"
                            + " where r.K_CONTACT = ? order by a.K_ACTION",
                    key));
        }
        if (e.table().equals("ACTIONS") && d.equals("cont")) {
            return support.dataset(db.rows(
                    "select c.* from ACTI_CONT r join CONTACTS c on c.K_CONTACT = r.K_CONTACT"
                            + " where r.K_ACTION = ?",
                    key));
        }
        throw new FuncError("DETAIL", "Invalid detail '" + detail + "'");
    }

    ObjectNode search(JsonNode request, ObjectNode echo, ArrayNode funcs) {
        Entity e = support.entity(request.path("entity").asText(""));
        if (!e.table().equals("CONTACTS")) {
            throw new BatchError("SEARCH", "Search is emulated on Cont only");
        }
        String value = "%" + request.path("value").asText("").toLowerCase(Locale.ROOT) + "%";
        for (JsonNode func : request.path("@func")) {
            ObjectNode out = func.deepCopy();
            out.set(
                    "#result",
                    support.dataset(db.rows(
                            "select * from CONTACTS where lower(NAME) like ? or lower(FIRSTNAME) like ?"
                                    + " or lower(EMAIL1) like ? order by K_CONTACT",
                            value,
                            value,
                            value)));
            funcs.add(out);
        }
        return echo;
    }
}

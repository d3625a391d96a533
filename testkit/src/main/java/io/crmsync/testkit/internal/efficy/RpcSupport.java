package io.crmsync.testkit.internal.efficy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.efficy.EfficyDatabase;
import io.crmsync.testkit.efficy.EfficyErrorShape;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the emulator's contexts share: the entities, column checks, datasets in Efficy's answer
 * shape, parameter splitting and how a failing function is reported in the configured error
 * shape. Package-private.
 */
final class RpcSupport {

    /** An Efficy entity code's table and key field. */
    record Entity(String table, String key) {}

    private static final Map<String, Entity> ENTITIES = Map.of(
            "cont", new Entity("CONTACTS", "K_CONTACT"),
            "acti", new Entity("ACTIONS", "K_ACTION"),
            "prof", new Entity("PROFILES", "K_PROFILE"));

    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    static final int IMPLICIT_ROW_CAP = 10_000;

    private final EfficyDatabase db;
    private final ObjectMapper mapper;
    private final Supplier<EfficyErrorShape> errorShape;

    RpcSupport(EfficyDatabase db, ObjectMapper mapper, Supplier<EfficyErrorShape> errorShape) {
        this.db = db;
        this.mapper = mapper;
        this.errorShape = errorShape;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    Entity entity(String code) {
        Entity e = ENTITIES.get(code.toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new BatchError("TAGS-2108", "EEfficyException - Invalid Entity \"" + code + "\"");
        }
        return e;
    }

    String column(String table, String field) {
        String upper = field.toUpperCase(Locale.ROOT);
        if (!upper.matches("[A-Z0-9_$]+") || !db.columnsOf(table).contains(upper)) {
            throw new FuncError("FIELD", "Invalid field '" + field + "' for table " + table);
        }
        return upper;
    }

    ObjectNode dataset(List<Map<String, Object>> rows) {
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

    static List<String> splitParams(String joined, String separator) {
        if (joined.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(joined.split(Pattern.quote(separator), -1));
    }

    /**
     * A function failed: inline {@code #error} on it in {@link EfficyErrorShape#INLINE_ERROR}, else
     * the whole request fails in the configured shape.
     */
    void funcFailed(ObjectNode out, FuncError e) {
        if (errorShape.get() != EfficyErrorShape.INLINE_ERROR) {
            throw new BatchError(e.code, e.getMessage());
        }
        out.putObject("#error").put("errorcode", e.code).put("errorstring", e.getMessage());
    }

    static int recordCount(JsonNode func) {
        JsonNode rc = func.get("recordcount");
        if (rc == null || rc.isNull()) {
            return IMPLICIT_ROW_CAP; // no recordcount: the server's implicit cap
        }
        return Math.max(0, rc.asInt());
    }

    static void bind(PreparedStatement ps, Collection<Object> values) throws SQLException {
        int i = 1;
        for (Object v : values) {
            ps.setObject(i++, v);
        }
    }
}

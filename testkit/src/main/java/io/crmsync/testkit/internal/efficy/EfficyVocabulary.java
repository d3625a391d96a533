package io.crmsync.testkit.internal.efficy;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmsync.testkit.audit.ProtocolAudit;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parameter names the protocol notes (efficy.md §2–§3) give each context and function. The
 * emulator, like a real server, ignores any other name, but records it in {@link ProtocolAudit}
 * so that a test sending one fails. Names are case-sensitive (notes §5): {@code recordCount} is
 * not {@code recordcount}.
 */
final class EfficyVocabulary {

    private static final Set<String> ENVELOPE = Set.of("@name", "#id", "@func");

    private static final Map<String, Set<String>> CONTEXTS = Map.of(
            "api", Set.of(),
            "consult", Set.of("entity", "key", "consulthandle", "closecontext"),
            "edit", Set.of("entity", "key", "edithandle", "commit", "closecontext", "detail", "detailkey"),
            "search", Set.of("entity", "method", "value", "own", "contains", "opened"));

    private static final Map<String, Set<String>> FUNCTIONS = Map.ofEntries(
            Map.entry("executesqlquery", Set.of("sql", "queryparams", "recordcount", "includeblobcontent")),
            Map.entry("query", Set.of("key", "master", "detail", "queryparams", "recordcount", "includeblobcontent")),
            Map.entry("consultmanyex", Set.of("entity", "findfield", "keys", "orderbyfield", "separator")),
            Map.entry("addlink", Set.of("entity", "key", "detail", "detailkey", "ignoreexisting")),
            Map.entry("deletelink", Set.of("entity", "key", "detail", "detailkey", "ignoreexisting")),
            Map.entry("delete", Set.of("entity", "keys")),
            Map.entry("contactidsfromemailaddresses", Set.of("recipients")),
            Map.entry("searchcontactsbyphone", Set.of("phonenumber")),
            Map.entry("getsetting", Set.of("module", "name", "asstring")),
            Map.entry("master", Set.of("tableview")),
            Map.entry("category", Set.of("category", "tableview")),
            Map.entry("detail", Set.of("detail", "filter", "includeblobcontent", "tableview")),
            Map.entry("update", Set.of("category", "tableview", "@data")),
            Map.entry("insertdetail", Set.of("detail", "detailkey", "maincomp", "retrieveName")),
            Map.entry("updatedetail", Set.of("detail", "detailkey", "@data")),
            Map.entry("deletedetail", Set.of("detail", "detailkey")),
            Map.entry("cleardetail", Set.of("detail")),
            Map.entry("activatecategory", Set.of("category")),
            Map.entry("setusers", Set.of("users", "clear")));

    private EfficyVocabulary() {}

    /** Records the names of a context that its kind does not take. */
    static void auditContext(String kind, JsonNode context) {
        Set<String> known = CONTEXTS.getOrDefault(kind, Set.of());
        audit(kind, context, known);
    }

    /** Records the arguments of a function that it does not take. */
    static void auditFunc(String context, JsonNode func) {
        String name = func.path("@name").asText("").toLowerCase(Locale.ROOT);
        Set<String> known = FUNCTIONS.getOrDefault(name, Set.of());
        boolean numbered = name.equals("query");
        for (Iterator<String> it = func.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (ENVELOPE.contains(field) || known.contains(field) || (numbered && field.matches("param[1-9][0-9]*"))) {
                continue;
            }
            ProtocolAudit.record("efficy", context + "/" + name, field);
        }
    }

    private static void audit(String where, JsonNode node, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!ENVELOPE.contains(field) && !known.contains(field)) {
                ProtocolAudit.record("efficy", where, field);
            }
        }
    }
}

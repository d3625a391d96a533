package io.crmsync.testkit.internal.admin;

import static io.crmsync.testkit.internal.admin.AdminRequests.error;
import static io.crmsync.testkit.internal.admin.AdminRequests.json;
import static io.crmsync.testkit.internal.admin.AdminRequests.parameter;

import io.crmsync.testkit.efficy.EfficyDatabase;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Efficy emulator's admin routes, under {@code /_admin} (a path no Efficy server has), to
 * change the emulated CRM from a shell while crmsync runs against it. Each names its customer with
 * {@code ?customer=} (default: the first).
 * <ul>
 *   <li>{@code GET /_admin/customers}: the customers and their contact counts;
 *   <li>{@code GET /_admin/contacts?limit=N}: contacts (key, names, e-mail, newsletter, change time);
 *   <li>{@code POST /_admin/contacts} with {@code {"NAME":"Doe","EMAIL1":"jane@example.com"}}:
 *       creates a contact (201, its key);
 *   <li>{@code PATCH /_admin/contacts/<key>} with fields: changes a contact (its D_CHANGE too);
 *   <li>{@code DELETE /_admin/contacts/<key>}: deletes a contact;
 *   <li>{@code GET /_admin/activities}: the Acti records (history written back, tasks);
 *   <li>{@code POST /_admin/queries} with {@code {"key":31,"name":"Gold","sql":"select K_CONTACT from
 *       CONTACTS where F_CUSTOMER_TIER = 'Gold'"}}: adds a stored query.
 * </ul>
 * Internal.
 */
public final class EfficyAdmin {

    /** What the routes need of one customer (the emulator's own public methods). */
    public interface Customer {
        /** The customer's alias. */
        String customer();

        /** Its API key. */
        String apiKey();

        /** Its number of contacts. */
        long contactCount();

        /** Creates a contact; returns its key. */
        long createContact(Map<String, ?> fields);

        /** Changes a contact. */
        void updateContact(long key, Map<String, ?> fields);

        /** Deletes a contact. */
        void deleteContact(long key);

        /** A contact's row. */
        Map<String, Object> contact(long key);

        /** Every Acti record. */
        List<Map<String, Object>> activities();

        /** The customer's database. */
        EfficyDatabase database();

        /** Adds a stored query. */
        void addStoredQuery(long key, String name, String sql);
    }

    private EfficyAdmin() {}

    /** Whether a request is for the admin routes. */
    public static boolean isAdmin(EmulatorRequest r) {
        return r.path().startsWith("/_admin/");
    }

    /**
     * Answers an admin request.
     *
     * @param customers every customer, the first being the default
     * @param byName a customer by alias, or null
     */
    public static EmulatorResponse handle(
            EmulatorRequest r, List<Customer> customers, Function<String, Customer> byName) {
        String[] p = r.path().split("/");
        String route = "admin " + r.method() + " " + (p.length > 2 ? p[2] : "");
        String named = parameter(r, "customer");
        Customer efficy = named == null ? customers.get(0) : byName.apply(named);
        if (efficy == null) {
            return error(404, "no customer " + named, route);
        }
        try {
            return switch (r.method() + " " + (p.length > 2 ? p[2] : "") + (p.length > 3 ? "/{key}" : "")) {
                case "GET customers" ->
                    json(
                            200,
                            customers.stream()
                                    .map(c -> Map.of(
                                            "customer",
                                            c.customer(),
                                            "apiKey",
                                            c.apiKey(),
                                            "contacts",
                                            c.contactCount()))
                                    .toList(),
                            route);
                case "GET contacts" -> json(200, contacts(efficy, parameter(r, "limit")), route);
                case "POST contacts" -> json(201, Map.of("key", efficy.createContact(AdminRequests.fields(r))), route);
                case "PATCH contacts/{key}" -> {
                    efficy.updateContact(Long.parseLong(p[3]), AdminRequests.fields(r));
                    yield json(200, efficy.contact(Long.parseLong(p[3])), route);
                }
                case "DELETE contacts/{key}" -> {
                    efficy.deleteContact(Long.parseLong(p[3]));
                    yield EmulatorResponse.empty(204, route);
                }
                case "GET activities" -> json(200, efficy.activities(), route);
                case "POST queries" -> {
                    Map<String, Object> q = AdminRequests.fields(r);
                    if (q.get("key") == null || q.get("sql") == null) {
                        throw new IllegalArgumentException("a stored query needs a key and an sql");
                    }
                    long key = Long.parseLong(String.valueOf(q.get("key")));
                    efficy.addStoredQuery(
                            key, String.valueOf(q.getOrDefault("name", "Query " + key)), String.valueOf(q.get("sql")));
                    yield json(201, Map.of("key", key), route);
                }
                default -> error(404, "no admin route " + r.method() + " " + r.path(), route);
            };
        } catch (NumberFormatException e) {
            return error(400, "a key is a number", route);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage(), route);
        }
    }

    private static List<Map<String, Object>> contacts(Customer efficy, String limit) {
        int max = limit == null ? 100 : Integer.parseInt(limit);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : efficy.database()
                .rows(
                        "select K_CONTACT, NAME, FIRSTNAME, EMAIL1, F_NEWSLETTER, F_CUSTOMER_TIER, D_CHANGE from CONTACTS"
                                + " order by K_CONTACT limit ?",
                        max)) {
            out.add(new LinkedHashMap<>(row));
        }
        return out;
    }
}

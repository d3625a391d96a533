package io.crmsync.efficy.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.efficy.internal.EfficyJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A webhook call from Efficy (configured in Designer → Content Management → WebHooks):
 * {@code {"database","version","records":[{"table","key","operation","user","subject","fields",
 * "date"}]}}. Calls may batch several records and arrive minutes late.
 *
 * <pre>{@code
 * EfficyWebhookEvent event = EfficyWebhookEvent.parse(body);
 * for (EfficyWebhookEvent.Record r : event.contactRecords()) { ... }
 * }</pre>
 *
 * @param database the database alias, empty when absent
 * @param version the payload version, empty when absent
 * @param records the changed records in payload order
 */
public record EfficyWebhookEvent(String database, String version, List<Record> records) {

    /** The table id of contacts (Cont). */
    public static final int CONTACT_TABLE = 11000;

    private static final ObjectMapper MAPPER = EfficyJson.newMapper();

    /** Copies the records. */
    public EfficyWebhookEvent {
        records = List.copyOf(records);
    }

    /** What happened to a record. */
    public enum Operation {
        /** The record was created. */
        CREATE,
        /** The record was changed. */
        UPDATE,
        /** The record was deleted. */
        DELETE
    }

    /**
     * One changed record.
     *
     * @param table the table id (11000 for contacts)
     * @param key the record key
     * @param operation what happened
     * @param user who did it, empty when absent
     * @param date when, as sent (ISO-8601), empty when absent
     * @param fields the changed fields as text (JSON null becomes absent)
     */
    public record Record(
            int table, long key, Operation operation, String user, Optional<String> date, Map<String, String> fields) {

        /** Copies the fields. */
        public Record {
            fields = Map.copyOf(fields);
        }

        /** Whether the record is a contact. */
        public boolean isContact() {
            return table == CONTACT_TABLE;
        }

        @Override
        public String toString() {
            return "Record{table=" + table + ", key=" + key + ", operation=" + operation + "}";
        }
    }

    /** The records on the contact table. */
    public List<Record> contactRecords() {
        return records.stream().filter(Record::isContact).toList();
    }

    /** The most records one call may carry; a larger body is refused rather than read. */
    public static final int MAX_RECORDS = 1_000;

    /**
     * Parses a webhook body.
     *
     * @throws IllegalArgumentException naming what is wrong: not JSON, no {@code records} array, more
     *     than {@link #MAX_RECORDS} records, a record without a numeric {@code table} or a positive
     *     64-bit {@code key}, an unknown operation
     */
    public static EfficyWebhookEvent parse(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("Efficy webhook body is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Efficy webhook body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Efficy webhook body is not a JSON object");
        }
        JsonNode records = root.get("records");
        if (records == null || !records.isArray()) {
            throw new IllegalArgumentException("Efficy webhook body has no 'records' array");
        }
        if (records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("Efficy webhook body has " + records.size() + " records, more than "
                    + MAX_RECORDS + " in one call");
        }
        List<Record> parsed = new ArrayList<>();
        int index = 0;
        for (JsonNode r : records) {
            parsed.add(parseRecord(r, index++));
        }
        return new EfficyWebhookEvent(
                root.path("database").asText(""), root.path("version").asText(""), parsed);
    }

    private static Record parseRecord(JsonNode r, int index) {
        String where = "records[" + index + "]";
        if (!r.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        long tableNumber = wholeNumber(r.get("table"), where + ".table");
        if (tableNumber < 0 || tableNumber > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ".table is out of range");
        }
        int table = (int) tableNumber;
        long key = wholeNumber(r.get("key"), where + ".key");
        if (key <= 0) {
            throw new IllegalArgumentException(where + ".key must be positive");
        }
        String op = r.path("operation").asText("");
        Operation operation;
        switch (op.toLowerCase(Locale.ROOT)) {
            case "create":
            case "insert":
                operation = Operation.CREATE;
                break;
            case "update":
                operation = Operation.UPDATE;
                break;
            case "delete":
                operation = Operation.DELETE;
                break;
            default:
                throw new IllegalArgumentException(
                        where + ".operation must be Create, Update or Delete, was '" + op + "'");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode f = r.get("fields");
        if (f != null && f.isObject()) {
            f.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    fields.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        String date = r.hasNonNull("date") ? r.get("date").asText() : null;
        return new Record(table, key, operation, r.path("user").asText(""), Optional.ofNullable(date), fields);
    }

    private static long wholeNumber(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException(where + " is missing");
        }
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) {
                // 2^64 + 27 must not wrap around to key 27.
                throw new IllegalArgumentException(where + " is not a 64-bit whole number");
            }
            return n.asLong();
        }
        try {
            return Long.parseLong(n.asText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " is not a whole number");
        }
    }
}

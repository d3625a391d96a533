package io.crmsync.sync.state.jdbc;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmsync.sync.state.ContactSnapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON column of a snapshot row: the digests of the values sent (never the values: no e-mail
 * address or name is kept in clear in the database), the consents, the flags.
 *
 * <p>Written as {@code {"attributes":{..},"consents":{..},"matched":..,"profileCreated":..}} and
 * read by hand when it is exactly that (every snapshot of every page of a full sync is read); any
 * other payload (an earlier version's, values kept in clear, escapes) is read by Jackson's data
 * binding, as all payloads once were.
 */
record SnapshotPayload(
        Map<String, Object> attributes, Map<String, Boolean> consents, boolean matched, boolean profileCreated) {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectReader BOUND = MAPPER.readerFor(new TypeReference<SnapshotPayload>() {});

    static String write(ContactSnapshot s) {
        StringBuilder json = new StringBuilder(
                64 + 80 * (s.attributes().size() + s.consents().size()));
        json.append("{\"attributes\":{");
        String comma = "";
        for (Map.Entry<String, Object> a : s.attributes().entrySet()) {
            json.append(comma);
            quoted(json, a.getKey()).append(':');
            quoted(json, ContactSnapshot.digest(a.getValue()));
            comma = ",";
        }
        json.append("},\"consents\":{");
        comma = "";
        for (Map.Entry<String, Boolean> c : s.consents().entrySet()) {
            json.append(comma);
            quoted(json, c.getKey()).append(':').append(c.getValue().booleanValue());
            comma = ",";
        }
        return json.append("},\"matched\":")
                .append(s.matched())
                .append(",\"profileCreated\":")
                .append(s.profileCreated())
                .append('}')
                .toString();
    }

    /** Appends {@code text} as a JSON string (escaped by Jackson when it needs escaping). */
    private static StringBuilder quoted(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
                return json.append(JsonStringEncoder.getInstance().quoteAsString(text))
                        .append('"');
            }
        }
        return json.append(text).append('"');
    }

    static ContactSnapshot read(long contactKey, long version, String fingerprint, String json, Instant updatedAt) {
        SnapshotPayload p;
        try {
            p = written(json);
            if (p == null) {
                p = BOUND.readValue(json);
            }
        } catch (IOException e) {
            throw new StateStoreException("the stored snapshot of contact " + contactKey + " is unreadable", e);
        }
        return new ContactSnapshot(
                contactKey,
                version,
                fingerprint,
                p.attributes() == null ? Map.of() : p.attributes(),
                p.consents() == null ? Map.of() : p.consents(),
                p.matched(),
                p.profileCreated(),
                updatedAt);
    }

    private static final String ATTRIBUTES = "{\"attributes\":{";
    private static final String CONSENTS = ",\"consents\":{";
    private static final String MATCHED = ",\"matched\":";
    private static final String PROFILE_CREATED = ",\"profileCreated\":";

    /**
     * The payload exactly as {@link #write} writes it, read by hand: text attribute values (the
     * digests), no escapes. Null for anything else, which data binding then reads.
     */
    private static SnapshotPayload written(String json) {
        if (!json.startsWith(ATTRIBUTES) || json.indexOf('\\') >= 0) {
            return null;
        }
        try {
            Map<String, Object> attributes = new HashMap<>();
            int i = ATTRIBUTES.length();
            if (json.charAt(i) != '}') {
                while (true) {
                    int keyEnd = json.indexOf('"', i + 1);
                    if (json.charAt(i) != '"' || !json.startsWith(":\"", keyEnd + 1)) {
                        return null;
                    }
                    int valueEnd = json.indexOf('"', keyEnd + 3);
                    attributes.put(key(json, i + 1, keyEnd), json.substring(keyEnd + 3, valueEnd));
                    i = valueEnd + 1;
                    if (json.charAt(i) != ',') {
                        break;
                    }
                    i++;
                }
            }
            if (json.charAt(i) != '}' || !json.startsWith(CONSENTS, i + 1)) {
                return null;
            }
            Map<String, Boolean> consents = new HashMap<>();
            i += 1 + CONSENTS.length();
            if (json.charAt(i) != '}') {
                while (true) {
                    int keyEnd = json.indexOf('"', i + 1);
                    if (json.charAt(i) != '"' || json.charAt(keyEnd + 1) != ':') {
                        return null;
                    }
                    Boolean value = bool(json, keyEnd + 2);
                    if (value == null) {
                        return null;
                    }
                    consents.put(key(json, i + 1, keyEnd), value);
                    i = keyEnd + 2 + (value ? 4 : 5);
                    if (json.charAt(i) != ',') {
                        break;
                    }
                    i++;
                }
            }
            if (json.charAt(i) != '}' || !json.startsWith(MATCHED, i + 1)) {
                return null;
            }
            i += 1 + MATCHED.length();
            Boolean matched = bool(json, i);
            if (matched == null) {
                return null;
            }
            i += matched ? 4 : 5;
            if (!json.startsWith(PROFILE_CREATED, i)) {
                return null;
            }
            i += PROFILE_CREATED.length();
            Boolean profileCreated = bool(json, i);
            if (profileCreated == null) {
                return null;
            }
            i += profileCreated ? 4 : 5;
            if (i != json.length() - 1 || json.charAt(i) != '}') {
                return null;
            }
            return new SnapshotPayload(attributes, consents, matched, profileCreated);
        } catch (IndexOutOfBoundsException e) {
            return null; // cut short: data binding says how
        }
    }

    /**
     * Each thread's recently read keys: every payload names the same few attributes and slots, so a
     * key read before is taken again (its hash already computed) instead of a new string.
     */
    private static final ThreadLocal<String[]> KEYS = ThreadLocal.withInitial(() -> new String[64]);

    private static String key(String json, int from, int to) {
        int length = to - from;
        String[] keys = KEYS.get();
        int slot = (length * 31 + json.charAt(to - 1)) & (keys.length - 1);
        String known = keys[slot];
        if (known != null && known.length() == length && json.startsWith(known, from)) {
            return known;
        }
        String key = json.substring(from, to);
        keys[slot] = key;
        return key;
    }

    private static Boolean bool(String json, int at) {
        return json.startsWith("true", at) ? Boolean.TRUE : json.startsWith("false", at) ? Boolean.FALSE : null;
    }
}

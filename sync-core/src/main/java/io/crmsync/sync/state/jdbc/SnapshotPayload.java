package io.crmsync.sync.state.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmsync.sync.state.ContactSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON column of a snapshot row: the digests of the values sent (never the values: no e-mail
 * address or name is kept in clear in the database), the consents, the flags.
 */
record SnapshotPayload(
        Map<String, Object> attributes, Map<String, Boolean> consents, boolean matched, boolean profileCreated) {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    static String write(ContactSnapshot s) {
        try {
            Map<String, Object> digests = new LinkedHashMap<>();
            s.attributes().forEach((k, v) -> digests.put(k, ContactSnapshot.digest(v)));
            return MAPPER.writeValueAsString(
                    new SnapshotPayload(digests, s.consents(), s.matched(), s.profileCreated()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ContactSnapshot read(long contactKey, long version, String fingerprint, String json, Instant updatedAt) {
        SnapshotPayload p;
        try {
            p = MAPPER.readValue(json, new TypeReference<SnapshotPayload>() {});
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
}

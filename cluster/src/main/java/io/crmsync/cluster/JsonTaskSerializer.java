package io.crmsync.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import java.io.IOException;

/**
 * Task data as JSON, not Java serialisation: readable in the table, safe to deserialise, and
 * tolerant of fields added later. The data are small records (a tenant id, a delivery's body) and
 * never hold a secret. Package-private.
 */
final class JsonTaskSerializer implements Serializer {

    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Override
    public byte[] serialize(Object data) {
        try {
            return json.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new ClusterException(
                    "task data of " + data.getClass().getSimpleName() + " cannot be written as JSON", e);
        }
    }

    @Override
    public <T> T deserialize(Class<T> type, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return json.readValue(bytes, type);
        } catch (IOException e) {
            throw new ClusterException("task data is not a " + type.getSimpleName() + " in JSON", e);
        }
    }
}

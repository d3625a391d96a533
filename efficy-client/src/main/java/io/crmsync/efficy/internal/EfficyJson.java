package io.crmsync.efficy.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.client.JsonMappers;

/**
 * The one way this module builds its Jackson {@link ObjectMapper}.
 *
 * <p>The mapper is lenient on responses: unknown fields are ignored (Efficy adds echo fields and
 * customer-specific columns), and it writes {@code java.time} values as ISO-8601 strings rather
 * than epoch numbers. {@code Optional} fields are understood (Immutables response models use them). Build it once and share it; an {@code ObjectMapper} is thread-safe after
 * configuration.
 *
 * <pre>{@code
 * ObjectMapper mapper = EfficyJson.newMapper();
 * }</pre>
 */
public final class EfficyJson {

    private EfficyJson() {}

    /** Returns a new mapper configured for the Efficy JSON-RPC wire format. */
    public static ObjectMapper newMapper() {
        return JsonMappers.builder().build();
    }
}

package io.crmsync.apsis.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.client.JsonMappers;

/**
 * The one way this module builds its Jackson {@link ObjectMapper}.
 *
 * <p>Responses are read leniently (APSIS adds fields over time, so unknown properties are
 * ignored); {@code java.time} values are written as ISO-8601/RFC 3339 strings, which is what the
 * APSIS One API expects for dates. Absent optional request fields are left out of the JSON rather
 * than sent as {@code null}, because in a merge-patch {@code null} means "clear this value". Build
 * it once and share it: an {@code ObjectMapper} is thread-safe after configuration.
 *
 * <pre>{@code
 * ObjectMapper mapper = ApsisJson.newMapper();
 * }</pre>
 */
public final class ApsisJson {

    private ApsisJson() {}

    /** Returns a new mapper configured for the APSIS One REST wire format. */
    public static ObjectMapper newMapper() {
        return JsonMappers.builder()
                .serializationInclusion(JsonInclude.Include.NON_ABSENT)
                .build();
    }
}

package io.crmsync.efficy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

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
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .build();
  }
}

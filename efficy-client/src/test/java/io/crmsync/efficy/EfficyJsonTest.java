package io.crmsync.efficy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.efficy.internal.EfficyJson;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class EfficyJsonTest {

    record Probe(String name, LocalDateTime when) {}

    @Test
    void ignoresUnknownResponseFieldsAndReadsIsoDates() throws Exception {
        ObjectMapper mapper = EfficyJson.newMapper();
        Probe probe = mapper.readValue("{\"name\":\"x\",\"when\":\"2021-01-08T00:00:00\",\"extra\":1}", Probe.class);
        assertThat(probe).isEqualTo(new Probe("x", LocalDateTime.of(2021, 1, 8, 0, 0)));
    }

    @Test
    void writesDatesAsIsoStrings() throws Exception {
        String json = EfficyJson.newMapper().writeValueAsString(new Probe("x", LocalDateTime.of(2022, 3, 14, 9, 0)));
        assertThat(json).isEqualTo("{\"name\":\"x\",\"when\":\"2022-03-14T09:00:00\"}");
    }
}

package io.crmsync.apsis;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.apsis.internal.ApsisJson;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApsisJsonTest {

    record Probe(String title, Instant at, Optional<String> detail) {}

    @Test
    void ignoresUnknownFieldsAndReadsRfc3339() throws Exception {
        Probe probe = ApsisJson.newMapper()
                .readValue("{\"title\":\"t\",\"at\":\"2024-05-01T10:00:00Z\",\"status\":503}", Probe.class);
        assertThat(probe.title()).isEqualTo("t");
        assertThat(probe.at()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
    }

    @Test
    void leavesAbsentOptionalsOutBecauseNullWouldClearAValue() throws Exception {
        String json = ApsisJson.newMapper()
                .writeValueAsString(new Probe("t", Instant.parse("2024-05-01T10:00:00Z"), Optional.empty()));
        assertThat(json).isEqualTo("{\"title\":\"t\",\"at\":\"2024-05-01T10:00:00Z\"}");
    }
}

package io.crmsync.efficy.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.efficy.internal.EfficyJson;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RowTest {

    private static Row row(String json) throws Exception {
        return new Row((ObjectNode) EfficyJson.newMapper().readTree(json));
    }

    @Test
    void booleansAcceptStringAndNumberForms() throws Exception {
        Row r = row("{\"A\":\"1\",\"B\":0,\"C\":true,\"D\":\"0\",\"E\":1,\"F\":null,\"G\":\"\"}");
        assertThat(r.bool("A")).contains(true);
        assertThat(r.bool("B")).contains(false);
        assertThat(r.bool("C")).contains(true);
        assertThat(r.bool("D")).contains(false);
        assertThat(r.bool("E")).contains(true);
        assertThat(r.bool("F")).isEmpty();
        assertThat(r.bool("G")).contains(false);
        assertThat(r.bool("MISSING")).isEmpty();
    }

    @Test
    void datesAcceptBothServerFormsAndFractions() throws Exception {
        Row r = row("{\"A\":\"2021-01-08T00:00:00\",\"B\":\"2022-03-14 09:00:00\","
                + "\"C\":\"2022-03-14T09:00:00.123\",\"D\":\"2022-03-14\",\"E\":\" \"}");
        assertThat(r.dateTime("A")).contains(LocalDateTime.of(2021, 1, 8, 0, 0));
        assertThat(r.dateTime("B")).contains(LocalDateTime.of(2022, 3, 14, 9, 0));
        assertThat(r.dateTime("C")).contains(LocalDateTime.of(2022, 3, 14, 9, 0, 0, 123_000_000));
        assertThat(r.dateTime("D")).contains(LocalDateTime.of(2022, 3, 14, 0, 0));
        assertThat(r.dateTime("E")).isEmpty();
    }

    @Test
    void datesReadWithoutTheFormatterAreThoseTheFormatterReads() throws Exception {
        DateTimeFormatter formatter = Row.EFFICY_DATE_TIME; // what every other form is read with
        for (String v : List.of(
                "2024-02-29",
                "2023-02-28 23:59:59",
                "2023-02-29T10:00:00",
                "2023-04-31",
                "2021-12-31T00:00:00",
                "0001-01-01 00:00:00",
                "2026-12-05T06:37",
                "2026-12-05T06:37:12.5",
                "2026-12-05T06:37:12.345",
                "2026-12-05 06:37:12.123456789",
                "2026-12-05T06:37:12.",
                "2026-12-05T06:37:12.1234567890",
                "2026-12-05T24:00:00",
                "2021-13-01")) {
            Row r = row("{\"A\":\"" + v + "\"}");
            Optional<LocalDateTime> expected;
            try {
                expected = Optional.of(LocalDateTime.parse(v, formatter));
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> r.dateTime("A")).as(v).isInstanceOf(IllegalStateException.class);
                continue;
            }
            assertThat(r.dateTime("A")).as(v).isEqualTo(expected);
        }
    }

    @Test
    void numbersAcceptNumericStringsAndFieldNamesIgnoreCase() throws Exception {
        Row r = row("{\"K_CONTACT\":\"12345\",\"k_user\":7}");
        assertThat(r.requireLong("K_CONTACT")).isEqualTo(12345);
        assertThat(r.requireLong("K_USER")).isEqualTo(7);
    }

    @Test
    void unreadableValuesNameTheFieldButNotTheValue() throws Exception {
        Row r = row("{\"EMAIL1\":\"jane@example.com\"}");
        assertThatThrownBy(() -> r.longValue("EMAIL1"))
                .hasMessageContaining("EMAIL1")
                .hasMessageNotContaining("jane");
        assertThatThrownBy(() -> r.requireLong("K_CONTACT")).hasMessageContaining("K_CONTACT is missing");
        assertThat(r.toString()).doesNotContain("jane");
    }
}

package io.crmsync.efficy.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class EfficyWebhookEventTest {

    @Test
    void parsesRecordsAndPicksContacts() {
        EfficyWebhookEvent event = EfficyWebhookEvent.parse("""
        {"database":"efficy120","version":"1","records":[
          {"table":11000,"key":12345,"operation":"Update","user":"JDOE","subject":"Doe",
           "fields":{"EMAIL1":"new@example.com","F_NEWSLETTER":"1","MEMO":null},"date":"2022-03-14T09:00:00Z"},
          {"table":"10000","key":"7","operation":"Create"},
          {"table":11000,"key":99,"operation":"Delete"}]}
        """);

        assertThat(event.database()).isEqualTo("efficy120");
        assertThat(event.records()).hasSize(3);
        assertThat(event.contactRecords())
                .extracting(EfficyWebhookEvent.Record::key)
                .containsExactly(12345L, 99L);
        EfficyWebhookEvent.Record first = event.records().get(0);
        assertThat(first.operation()).isEqualTo(EfficyWebhookEvent.Operation.UPDATE);
        assertThat(first.fields()).containsEntry("F_NEWSLETTER", "1").doesNotContainKey("MEMO");
        assertThat(first.date()).contains("2022-03-14T09:00:00Z");
        assertThat(event.records().get(2).operation()).isEqualTo(EfficyWebhookEvent.Operation.DELETE);
    }

    @Test
    void badBodiesAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> EfficyWebhookEvent.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> EfficyWebhookEvent.parse("{")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> EfficyWebhookEvent.parse("{\"x\":1}")).hasMessageContaining("'records'");
        assertThatThrownBy(() ->
                        EfficyWebhookEvent.parse("{\"records\":[{\"table\":11000,\"key\":1,\"operation\":\"Merge\"}]}"))
                .hasMessageContaining("records[0].operation");
        assertThatThrownBy(() -> EfficyWebhookEvent.parse("{\"records\":[{\"table\":11000,\"operation\":\"Update\"}]}"))
                .hasMessageContaining("records[0].key is missing");
    }

    @Test
    void keysThatOverflowSixtyFourBitsAndOversizedBodiesAreRefused() {
        // 2^64 + 27 would wrap around to contact 27.
        assertThatThrownBy(() -> EfficyWebhookEvent.parse(
                        "{\"records\":[{\"table\":11000,\"key\":18446744073709551643,\"operation\":\"Delete\"}]}"))
                .hasMessageContaining("records[0].key is not a 64-bit whole number");
        assertThatThrownBy(() -> EfficyWebhookEvent.parse(
                        "{\"records\":[{\"table\":11000,\"key\":\"18446744073709551643\",\"operation\":\"Delete\"}]}"))
                .hasMessageContaining("records[0].key is not a whole number");
        assertThatThrownBy(() -> EfficyWebhookEvent.parse(
                        "{\"records\":[{\"table\":4294978296,\"key\":1,\"operation\":\"Update\"}]}"))
                .hasMessageContaining("records[0].table is out of range");
        String many = "{\"records\":["
                + String.join(",", Collections.nCopies(1_001, "{\"table\":11000,\"key\":1,\"operation\":\"Update\"}"))
                + "]}";
        assertThatThrownBy(() -> EfficyWebhookEvent.parse(many)).hasMessageContaining("more than 1000");
    }
}

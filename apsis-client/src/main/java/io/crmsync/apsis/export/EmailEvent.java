package io.crmsync.apsis.export;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One row of the email event export.
 *
 * @param type what happened
 * @param address the recipient address
 * @param correlationId the event's correlation id; the export may repeat a row, so dedupe on it
 * @param eventTime when it happened ({@code event_time}, or {@code server_time} when that is 0)
 * @param activityId the sendout ({@code activity_id})
 * @param activityName its name
 * @param subject the message subject
 * @param columns every column of the row by header name, including attribute columns the report
 *     was asked to add
 */
public record EmailEvent(
        EmailEventType type,
        String address,
        String correlationId,
        Instant eventTime,
        String activityId,
        String activityName,
        String subject,
        Map<String, String> columns) {

    /** Copies the columns. */
    public EmailEvent {
        columns = Map.copyOf(columns);
    }

    /** A column's value, empty when absent or blank (e.g. an attribute such as the CRM id). */
    public Optional<String> column(String name) {
        return Optional.ofNullable(columns.get(name)).filter(v -> !v.isBlank());
    }

    @Override
    public String toString() {
        return "EmailEvent{" + type + ", correlationId=" + correlationId + ", at=" + eventTime + "}";
    }
}

package io.crmsync.sync.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A record the engine could not sync, kept with its reason until a later run succeeds with it.
 *
 * @param kind what it is: {@code contact}, {@code email-event}, {@code task-webhook}
 * @param id its id within the kind (a contact key, a correlation id)
 * @param reason why it failed, without personal data where possible
 * @param at when it was quarantined (last time)
 * @param attempts how many times it failed
 * @param payload what the engine needs to try the record again when it cannot read it from its
 *     source any more (an APSIS email event, once the export window has moved on); {@code null}
 *     for records that are read afresh (contacts)
 */
public record QuarantinedRecord(String kind, String id, String reason, Instant at, int attempts, String payload) {

    /** Checks the parts. */
    public QuarantinedRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }

    /** A record without a payload. */
    public QuarantinedRecord(String kind, String id, String reason, Instant at, int attempts) {
        this(kind, id, reason, at, attempts, null);
    }

    /** The payload, when the record carries one. */
    public Optional<String> payloadText() {
        return Optional.ofNullable(payload);
    }

    @Override
    public String toString() {
        // The payload may hold an e-mail address: it is stored, never printed.
        return "QuarantinedRecord{kind=" + kind + ", id=" + id + ", reason=" + reason + ", at=" + at + ", attempts="
                + attempts + (payload == null ? "" : ", payload=(" + payload.length() + " chars)") + "}";
    }
}

package io.crmsync.sync.state;

import java.time.Instant;
import java.util.Objects;

/**
 * A record the engine could not sync, kept with its reason until a later run succeeds with it.
 *
 * @param kind what it is: {@code contact}, {@code email-event}, {@code task-webhook}
 * @param id its id within the kind (a contact key, a correlation id)
 * @param reason why it failed, without personal data where possible
 * @param at when it was quarantined (last time)
 * @param attempts how many times it failed
 */
public record QuarantinedRecord(String kind, String id, String reason, Instant at, int attempts) {

  /** Checks the parts. */
  public QuarantinedRecord {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }
}

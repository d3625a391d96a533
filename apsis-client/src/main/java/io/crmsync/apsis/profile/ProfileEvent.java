package io.crmsync.apsis.profile;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;

/**
 * One event to post on a profile: the id of the event type's current version, when it happened,
 * and its data.
 *
 * @param versionId the event definition's version id
 * @param eventTime when it happened
 * @param data the event's fields
 */
public record ProfileEvent(String versionId, OffsetDateTime eventTime, Map<String, Object> data) {

    /** Checks and copies. */
    public ProfileEvent {
        if (versionId == null || versionId.isBlank()) {
            throw new IllegalArgumentException("event version id must not be blank");
        }
        Objects.requireNonNull(eventTime, "eventTime");
        data = Map.copyOf(data);
    }
}

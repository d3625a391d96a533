package io.crmsync.apsis.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * One version of an attribute or event definition. v1 endpoints address attributes by version id;
 * the current version is the one that is not deprecated.
 *
 * @param id the version id (sent as a string)
 * @param deprecatedAt when it was deprecated, empty for the current version
 */
public record DefinitionVersion(
        @JsonProperty("id") String id,
        @JsonProperty("deprecated_at") Optional<String> deprecatedAt) {

    /** Whether this version is current. */
    public boolean isActive() {
        return deprecatedAt == null
                || deprecatedAt.isEmpty()
                || deprecatedAt.get().isBlank();
    }
}

package io.crmsync.apsis.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * An event type defined in a section. Events are posted with the id of its current version.
 *
 * @param discriminator the event's discriminator
 * @param name its display name
 * @param versions its versions
 */
public record EventDefinition(
        @JsonProperty("discriminator") String discriminator,
        @JsonProperty("name") String name,
        @JsonProperty("versions") List<DefinitionVersion> versions) {

    /** Copies the versions. */
    public EventDefinition {
        versions = versions == null ? List.of() : List.copyOf(versions);
    }

    /** The id of the first version that is not deprecated. */
    public Optional<String> activeVersionId() {
        return versions.stream()
                .filter(DefinitionVersion::isActive)
                .map(DefinitionVersion::id)
                .findFirst();
    }
}

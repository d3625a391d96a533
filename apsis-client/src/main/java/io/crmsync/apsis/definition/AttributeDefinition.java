package io.crmsync.apsis.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * An attribute defined in a section: {@code com.apsis1.attributes.email}, a custom
 * {@code usercreated.attributes.<slug>-<random>}, or an integration's own.
 *
 * @param discriminator the attribute's discriminator
 * @param name its display name
 * @param type its value type when APSIS says (e.g. string, integer, boolean, date), else empty
 * @param versions its versions
 */
public record AttributeDefinition(
        @JsonProperty("discriminator") String discriminator,
        @JsonProperty("name") String name,
        @JsonProperty("type") Optional<String> type,
        @JsonProperty("versions") List<DefinitionVersion> versions) {

    /** Copies the versions. */
    public AttributeDefinition {
        versions = versions == null ? List.of() : List.copyOf(versions);
        type = type == null ? Optional.empty() : type;
    }

    /** The id of the first version that is not deprecated, as the official modules pick it. */
    public Optional<String> activeVersionId() {
        return versions.stream()
                .filter(DefinitionVersion::isActive)
                .map(DefinitionVersion::id)
                .findFirst();
    }
}

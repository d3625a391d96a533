package io.crmsync.apsis.definition;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Definition of a tag defined in a section.
 *
 * @param discriminator its discriminator
 * @param name its display name
 */
public record TagDefinition(
        @JsonProperty("discriminator") String discriminator,
        @JsonProperty("name") String name) {}

package io.crmsync.apsis.definition;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Definition of a section (profiles are account-wide; attribute, tag and consent values live per section), e.g. com.apsis1.sections.default.
 *
 * @param discriminator its discriminator
 * @param name its display name
 */
public record Section(
        @JsonProperty("discriminator") String discriminator,
        @JsonProperty("name") String name) {}

package io.crmsync.apsis.definition;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Definition of a channel, e.g. com.apsis1.channels.email.
 *
 * @param discriminator its discriminator
 * @param name its display name
 */
public record Channel(
        @JsonProperty("discriminator") String discriminator,
        @JsonProperty("name") String name) {}

package io.crmsync.apsis.definition;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Definition of a keyspace, e.g. com.apsis1.keyspaces.crm-id; a profile has at most one key per keyspace.
 *
 * @param discriminator its discriminator
 * @param name its display name
 */
public record Keyspace(
        @JsonProperty("discriminator") String discriminator,
        @JsonProperty("name") String name) {}

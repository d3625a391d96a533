package io.crmsync.apsis.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.crmsync.apsis.internal.Discriminators;

/**
 * A profile's identity: a key in a keyspace. The same person can have keys in several keyspaces.
 * {@code toString()} hides the key, which is often an e-mail address.
 *
 * @param keyspace the keyspace discriminator
 * @param key the profile key
 */
public record ProfileKey(
        @JsonProperty("keyspace_discriminator") String keyspace,
        @JsonProperty("profile_key") String key) {

    /** Checks both parts. */
    public ProfileKey {
        Discriminators.require("keyspace", keyspace);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("profile key must not be blank");
        }
    }

    /** A key in {@code com.apsis1.keyspaces.crm-id}. */
    public static ProfileKey crmId(String key) {
        return new ProfileKey("com.apsis1.keyspaces.crm-id", key);
    }

    /** A key in {@code com.apsis1.keyspaces.email}. */
    public static ProfileKey email(String address) {
        return new ProfileKey("com.apsis1.keyspaces.email", address);
    }

    @Override
    public String toString() {
        return "ProfileKey{" + keyspace + ", ***}";
    }
}

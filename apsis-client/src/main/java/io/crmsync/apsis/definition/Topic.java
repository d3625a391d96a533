package io.crmsync.apsis.definition;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * A consent topic ("subscription" in the APSIS UI) from the v2 topics endpoint.
 *
 * @param discriminator the topic's discriminator
 * @param name its display name
 * @param consentListDiscriminator the folder (consent list) it belongs to, when sent; the exact
 *     property name is not documented publicly, several spellings are read
 */
public record Topic(
        @JsonProperty("discriminator") String discriminator,
        @JsonProperty("name") String name,

        @JsonProperty("consent_list_discriminator") @JsonAlias({"folder_discriminator", "consent_list"})
        Optional<String> consentListDiscriminator) {

    /** Normalises a missing folder. */
    public Topic {
        consentListDiscriminator = consentListDiscriminator == null ? Optional.empty() : consentListDiscriminator;
    }
}

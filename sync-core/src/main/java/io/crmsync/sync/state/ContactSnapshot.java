package io.crmsync.sync.state;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine last confirmed in APSIS for one contact: the attribute values sent, the consent
 * state per (topic|channel) slot (true opted in, false opted out; absent never decided), whether
 * the contact matched the sync condition, whether its profile exists, and the fingerprint that
 * makes an unchanged contact cost no APSIS call.
 *
 * <p>{@code version} is the store's compare-and-set counter: 0 for a snapshot never stored.
 *
 * @param contactKey K_CONTACT
 * @param version the stored version (0 = new)
 * @param fingerprint digest of mapped values, consents and mapping version
 * @param attributes attribute discriminator to the value last sent
 * @param consents slot to opted-in (true) or opted-out (false)
 * @param matched whether the contact matched the condition at the last sync
 * @param profileCreated whether the APSIS profile is known to exist
 * @param updatedAt when the snapshot was written
 */
public record ContactSnapshot(
    long contactKey,
    long version,
    String fingerprint,
    Map<String, Object> attributes,
    Map<String, Boolean> consents,
    boolean matched,
    boolean profileCreated,
    Instant updatedAt) {

  /** Checks and copies (null attribute values are not kept: absent means "not set"). */
  public ContactSnapshot {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative");
    }
    java.util.Map<String, Object> copy = new java.util.TreeMap<>();
    attributes.forEach((k, v) -> {
      if (v != null) {
        copy.put(k, v);
      }
    });
    attributes = java.util.Collections.unmodifiableMap(copy);
    consents = Map.copyOf(consents);
  }

  /** The value last sent for an attribute. */
  public Optional<Object> attribute(String discriminator) {
    return Optional.ofNullable(attributes.get(discriminator));
  }

  /** A copy with the next version and new content, for a compare-and-set save. */
  public ContactSnapshot next(String newFingerprint, Map<String, Object> newAttributes,
      Map<String, Boolean> newConsents, boolean newMatched, boolean newProfileCreated, Instant at) {
    return new ContactSnapshot(contactKey, version + 1, newFingerprint, newAttributes, newConsents, newMatched,
        newProfileCreated, at);
  }

  @Override
  public String toString() {
    return "ContactSnapshot{key=" + contactKey + ", version=" + version + ", consents=" + consents
        + ", matched=" + matched + ", profileCreated=" + profileCreated + "}";
  }
}

package io.crmsync.sync.internal;

/**
 * Where profiles go in APSIS. Internal.
 *
 * @param section the APSIS section
 * @param keyspace the keyspace of the profile keys (the Efficy contact keys)
 * @param consentSource the {@code source} of consents the engine writes
 */
public record ProfileTarget(String section, String keyspace, String consentSource) {}

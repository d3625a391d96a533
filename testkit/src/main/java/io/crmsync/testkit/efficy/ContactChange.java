package io.crmsync.testkit.efficy;

import java.util.Map;

/**
 * A change to a contact, as the emulator reports it to webhook subscribers.
 *
 * @param key K_CONTACT
 * @param operation Create, Update or Delete
 * @param fields the fields written (empty for deletes and membership changes)
 */
public record ContactChange(long key, String operation, Map<String, Object> fields) {}

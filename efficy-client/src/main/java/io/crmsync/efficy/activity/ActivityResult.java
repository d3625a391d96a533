package io.crmsync.efficy.activity;

/**
 * The outcome of creating an {@code Acti} once.
 *
 * @param key the record's key (K_ACTION)
 * @param created true when this call created it; false when a record with the same source id
 *     already existed (a retry, or a replayed delivery)
 */
public record ActivityResult(long key, boolean created) {}

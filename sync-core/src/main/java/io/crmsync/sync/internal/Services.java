package io.crmsync.sync.internal;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.state.StateStore;
import java.time.Clock;

/**
 * What the engine's jobs talk to: the two clients, the state store and the clock. Internal.
 *
 * @param efficy the Efficy client
 * @param apsis the APSIS client
 * @param store the state store
 * @param clock the clock
 */
public record Services(EfficyClient efficy, ApsisClient apsis, StateStore store, Clock clock) {}

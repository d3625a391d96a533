package io.crmsync.sync.internal;

import java.time.Duration;
import java.time.ZoneId;

/**
 * How the forward jobs read Efficy. Internal.
 *
 * @param pollPageSize contacts per poll page
 * @param clockSkew how far the engine's clock may run ahead of Efficy's
 * @param efficyTimeZone the zone of Efficy's D_CHANGE values
 */
public record ForwardSettings(int pollPageSize, Duration clockSkew, ZoneId efficyTimeZone) {}

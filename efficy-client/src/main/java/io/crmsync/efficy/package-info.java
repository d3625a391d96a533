/**
 * Typed client for the Efficy Enterprise JSON-RPC API ({@code /crm/json}); start at {@link io.crmsync.efficy.EfficyClient}.
 *
 * <p>Values are Java records or small hand-written immutable classes with builders (such as
 * {@link io.crmsync.efficy.activity.NewActivity}); no type here is generated. The style below is
 * what an Immutables type of this package would use: JDK collections only.
 */
@Value.Style(jdkOnly = true, overshadowImplementation = true, defaults = @Value.Immutable(copy = false))
package io.crmsync.efficy;

import org.immutables.value.Value;

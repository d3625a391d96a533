/**
 * What the two crmsync clients share, written once: {@link io.crmsync.client.RetryPolicy},
 * {@link io.crmsync.client.Sleeper}, {@link io.crmsync.client.RetryAfter}, the base-URI rule
 * ({@link io.crmsync.client.BaseUris}), the JSON defaults ({@link io.crmsync.client.JsonMappers})
 * and the exception root ({@link io.crmsync.client.CrmsyncException}). Depends on the JDK only
 * (Jackson for the JSON defaults, which the clients bring).
 */
package io.crmsync.client;

package io.crmsync.config.keys;

/**
 * Where a key may be set. A key outside its scopes is reported as unknown there, with the nearest
 * key that is known (a warning, or an error in strict mode).
 */
public enum KeyScope {
    /** A pair's properties file, read by the CLI's commands and {@code serve}. */
    FILE,
    /** The {@code crmsync.*} properties of the Spring Boot starter. */
    SPRING,
    /** A cluster tenant's configuration. */
    TENANT,
    /** A cluster node's file ({@code crmsync cluster}, {@code crmsync tenant}). */
    NODE
}

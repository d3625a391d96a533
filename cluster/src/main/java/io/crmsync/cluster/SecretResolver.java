package io.crmsync.cluster;

import java.util.Map;
import java.util.Objects;

/**
 * Turns a secret reference of a tenant's configuration ({@code ${NAME}}, the name alone is
 * passed) into its value when a node builds the tenant's engine, so that secrets stay out of the
 * tenant table and out of task data. The default, {@link #environment()}, reads environment
 * variables; a host plugs in its vault. Implementations are thread-safe and may be slow: a node
 * resolves once per engine it builds.
 *
 * <pre>{@code
 * SecretResolver vault = name -> vaultClient.read("crmsync/" + name);
 * }</pre>
 */
@FunctionalInterface
public interface SecretResolver {

    /**
     * The value a reference names.
     *
     * @param name the reference's name, as in {@code ${NAME}}
     * @return the value, or null when nothing is known by that name
     */
    String resolve(String name);

    /** The node's environment variables (the default). */
    static SecretResolver environment() {
        return System::getenv;
    }

    /** A fixed map of names to values, for tests and small set-ups. */
    static SecretResolver of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(Objects.requireNonNull(values, "values"));
        return copy::get;
    }
}

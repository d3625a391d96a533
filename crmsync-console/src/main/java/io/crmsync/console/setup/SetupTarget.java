package io.crmsync.console.setup;

import io.crmsync.console.view.ActionResult;
import java.util.Map;
import java.util.Properties;

/**
 * Where a finished set-up goes, given by the host: {@code serve} writes its properties file and
 * starts syncing; a cluster node adds the tenant and queues its first full sync. The wizard has
 * validated the configuration (every value, and the set-up against both services) before it calls
 * {@link #save}.
 */
public interface SetupTarget {

    /** One sentence saying what {@link #save} does, shown on the last step. */
    String describe();

    /** Whether the wizard asks for a tenant id (a cluster). */
    boolean asksForTenant();

    /**
     * Where each secret goes, shown before it is stored, by key (a cluster: the secret store's names
     * the tenant's references will read); empty when the host keeps them itself.
     */
    default Map<String, String> secretNames(String tenant) {
        return Map.of();
    }

    /**
     * Refuses, before any live check calls them, URLs this host may not call (a cluster's
     * {@code cluster.tenantHosts}); the default admits all.
     *
     * @throws IllegalArgumentException naming the key and why
     */
    default void checkCallable(String tenant, Properties config) {}

    /**
     * Stores the set-up.
     *
     * @param tenant the tenant id, or empty when {@link #asksForTenant()} is false
     * @param config the non-secret keys
     * @param secrets the secret keys' values (never shown again)
     * @return what was done, or why not (nothing stored then)
     */
    ActionResult save(String tenant, Properties config, Map<String, String> secrets);

    /** A target for a host that cannot take a set-up: {@link #save} refuses, saying why. */
    static SetupTarget unavailable(String why) {
        return new SetupTarget() {
            @Override
            public String describe() {
                return why;
            }

            @Override
            public boolean asksForTenant() {
                return false;
            }

            @Override
            public ActionResult save(String tenant, Properties config, Map<String, String> secrets) {
                return ActionResult.refused(why);
            }
        };
    }
}

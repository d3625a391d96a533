package io.crmsync.cluster;

import io.crmsync.config.CrmsyncConfig;
import java.util.Objects;

/**
 * A tenant's configuration with its references resolved: the one place where a node turns a
 * tenant's {@code ${NAME}} into a value, and only for names in the tenant's {@link SecretNamespace}.
 */
final class TenantConfigs {

    private final SecretResolver secrets;
    private final SecretNamespace names;

    TenantConfigs(SecretResolver secrets, SecretNamespace names) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.names = Objects.requireNonNull(names, "names");
    }

    /**
     * The tenant's configuration.
     *
     * @throws ClusterException naming the key, when a reference leaves the tenant's namespace
     */
    CrmsyncConfig of(Tenant tenant) {
        names.check(tenant);
        String id = tenant.id();
        return CrmsyncConfig.of(tenant.properties(), name -> names.admits(id, name) ? secrets.resolve(name) : null);
    }

    /** The names' rule, for messages and checks before a tenant is stored. */
    SecretNamespace names() {
        return names;
    }
}

package io.crmsync.cluster;

import java.util.List;
import java.util.Optional;

/**
 * Where a cluster's tenants are kept: the SPI behind {@link TenantAdmin}. The shipped
 * implementation is {@link JdbcTenantRegistry} (a table beside db-scheduler's); a host that keeps
 * its customers elsewhere implements this instead. Implementations are thread-safe and shared by
 * every node, and bump a tenant's {@link Tenant#version()} on each change.
 */
public interface TenantRegistry {

    /** The tenant with this id, if any. */
    Optional<Tenant> find(String id);

    /** Every tenant, by id. */
    List<Tenant> list();

    /**
     * Stores a new tenant.
     *
     * @return the stored tenant, with its version
     * @throws ClusterException when a tenant with its id exists
     */
    Tenant add(Tenant tenant);

    /**
     * Replaces a tenant's configuration and pause state.
     *
     * @return the stored tenant, with its new version
     * @throws ClusterException when no tenant has its id
     */
    Tenant update(Tenant tenant);

    /**
     * Removes a tenant.
     *
     * @return whether it existed
     */
    boolean remove(String id);
}

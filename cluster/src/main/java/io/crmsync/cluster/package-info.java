/**
 * Many customers' Efficy/APSIS pairs on several machines: a {@link io.crmsync.cluster.ClusterNode}
 * runs every tenant's jobs on db-scheduler, on the PostgreSQL the nodes share. Tenants live in a
 * {@link io.crmsync.cluster.TenantRegistry} and are managed through
 * {@link io.crmsync.cluster.TenantAdmin}; each has its own state (a schema per tenant), its own
 * engine, and an APSIS request budget shared by every node ({@link io.crmsync.cluster.SharedAccountBudget}).
 * See {@code docs/CLUSTER.md} for the operation and the guarantees.
 */
package io.crmsync.cluster;

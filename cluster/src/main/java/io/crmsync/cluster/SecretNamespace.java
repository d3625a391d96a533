package io.crmsync.cluster;

import io.crmsync.config.keys.ConfigKey;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which secret names a tenant's {@code ${NAME}} references may use: a pattern that the node's
 * operator sets, so that a tenant's configuration reaches its own secrets and nothing else of the
 * node (not the cluster's password, not another tenant's keys, not the node's environment).
 *
 * <p>The pattern is an optional fixed prefix of upper-case letters, digits and {@code _}, then
 * {@code {TENANT}}, then {@code _*}. {@code {TENANT}} stands for the tenant id in upper case with
 * {@code -} written {@code _} ({@code acme-eu} is {@code ACME_EU}); {@code *} stands for one or more
 * upper-case letters and digits, <em>without</em> {@code _}, so that no tenant's names are another's:
 * under the default, tenant {@code acme} may name {@code TENANT_ACME_EFFICYKEY} but not
 * {@code TENANT_ACME_EU_EFFICYKEY}, which is tenant {@code acme-eu}'s. The default is
 * {@value #DEFAULT_PATTERN}: the fixed {@code TENANT_} keeps a tenant called {@code github} away
 * from a {@code GITHUB_TOKEN} the node may hold. Whatever the pattern, the environment names of the
 * node's own keys ({@code CRMSYNC_CLUSTER_PASSWORD}…) never resolve for a tenant.
 *
 * <pre>{@code
 * ClusterNode node = ClusterNode.builder(pool)
 *         .secretNames(SecretNamespace.of("VAULT_{TENANT}_*"))   // acme: VAULT_ACME_EFFICYKEY
 *         .build();
 * }</pre>
 */
public final class SecretNamespace {

    /** The default pattern. */
    public static final String DEFAULT_PATTERN = "TENANT_{TENANT}_*";

    private static final Pattern SHAPE = Pattern.compile("([A-Z0-9_]*)\\{TENANT}_\\*");
    private static final Pattern SUFFIX = Pattern.compile("[A-Z0-9]+");

    private final String pattern;
    private final String prefix;

    private SecretNamespace(String pattern, String prefix) {
        this.pattern = pattern;
        this.prefix = prefix;
    }

    /** The default namespace, {@value #DEFAULT_PATTERN}. */
    public static SecretNamespace defaults() {
        return of(DEFAULT_PATTERN);
    }

    /**
     * A namespace from its pattern.
     *
     * @throws IllegalArgumentException saying the expected shape, when the pattern is not
     *     {@code [PREFIX]{TENANT}_*}
     */
    public static SecretNamespace of(String pattern) {
        Matcher m = SHAPE.matcher(Objects.requireNonNull(pattern, "pattern").trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be an optional prefix of A-Z, 0-9 and _, then {TENANT}_* "
                    + "(for example " + DEFAULT_PATTERN + ")");
        }
        return new SecretNamespace(m.group(), m.group(1));
    }

    /** The pattern as set. */
    public String pattern() {
        return pattern;
    }

    /** The names a tenant may use, as a pattern: {@code TENANT_ACME_*} for {@code acme}. */
    public String forTenant(String tenantId) {
        return prefix(tenantId) + "*";
    }

    /** Whether {@code tenantId}'s references may name {@code name}. */
    public boolean admits(String tenantId, String name) {
        if (name == null || NodeNames.ALL.contains(name)) {
            return false;
        }
        String own = prefix(tenantId);
        return name.startsWith(own)
                && SUFFIX.matcher(name.substring(own.length())).matches();
    }

    /**
     * Checks every reference of a tenant's configuration.
     *
     * @throws ClusterException naming the key and the names the tenant may use, never the name's value
     */
    public void check(Tenant tenant) {
        for (var e : tenant.config().entrySet()) {
            Matcher m = Tenant.REFERENCE.matcher(e.getValue());
            while (m.find()) {
                String name = m.group(1);
                if (!admits(tenant.id(), name)) {
                    throw new ClusterException("tenant " + tenant.id() + ": " + e.getKey() + " refers to " + name
                            + ", outside the tenant's secret names " + forTenant(tenant.id())
                            + " (cluster.secretNames is " + pattern + ")");
                }
            }
        }
    }

    private String prefix(String tenantId) {
        return prefix + Tenant.checkId(tenantId).toUpperCase(Locale.ROOT).replace('-', '_') + "_";
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** The environment names of the node's keys, read on first use (the keys declare this type's default). */
    private static final class NodeNames {
        static final Set<String> ALL =
                ClusterKeys.registry().keys().stream().map(ConfigKey::envName).collect(Collectors.toUnmodifiableSet());
    }
}

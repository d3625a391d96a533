package io.crmsync.cluster;

import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.PairKeys;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * A tenant's configuration as a node runs it: the one place where a node turns a tenant's
 * {@code ${NAME}} into a value (only for names in the tenant's {@link SecretNamespace}), puts its
 * own settings over the tenant's (plain http, the import directory), and checks the tenant's URLs
 * against its {@link TenantUrls} before an engine that would call them is built. Package-private.
 */
final class TenantConfigs {

    private final SecretResolver secrets;
    private final SecretNamespace names;
    private final TenantUrls urls;
    private final Path importDirectory;

    TenantConfigs(SecretResolver secrets, SecretNamespace names, TenantUrls urls, Path importDirectory) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.names = Objects.requireNonNull(names, "names");
        this.urls = Objects.requireNonNull(urls, "urls");
        this.importDirectory = importDirectory;
    }

    /**
     * The tenant's configuration, for its schedules and webhooks (no URL is checked: nothing is called).
     *
     * @throws ClusterException naming the key, when a reference leaves the tenant's namespace
     */
    CrmsyncConfig of(Tenant tenant) {
        names.check(tenant);
        Properties p = tenant.properties();
        Tenant.NODE_SETTINGS.forEach(p::remove);
        p.setProperty(PairKeys.EFFICY_INSECURE.name(), Boolean.toString(urls.allowInsecureHttp()));
        p.setProperty(PairKeys.APSIS_INSECURE.name(), Boolean.toString(urls.allowInsecureHttp()));
        if (importDirectory != null) {
            p.setProperty(PairKeys.APSIS_IMPORT_DIRECTORY.name(), importDirectory.toString());
        }
        String id = tenant.id();
        return CrmsyncConfig.of(p, name -> names.admits(id, name) ? secrets.resolve(name) : null);
    }

    /**
     * The tenant's configuration for an engine that will call its servers: {@link #of} and every
     * URL of the tenant admitted by the node's {@link TenantUrls}.
     *
     * @throws ClusterException naming the key and the host, when a URL is not admitted
     */
    CrmsyncConfig forEngine(Tenant tenant) {
        CrmsyncConfig config = of(tenant);
        for (String key : new String[] {PairKeys.EFFICY_URL.name(), PairKeys.APSIS_BASE_URL.name()}) {
            String url = tenant.config().get(key);
            if (url != null && !url.isBlank()) {
                urls.check(tenant.id(), key, url);
            }
        }
        return config;
    }
}

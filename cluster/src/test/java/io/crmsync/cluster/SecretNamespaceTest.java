package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SecretNamespaceTest {

    private final SecretNamespace names = SecretNamespace.defaults();

    @Test
    void aTenantsNamesAreItsIdUnderThePrefixFollowedByLettersAndDigits() {
        assertThat(names.admits("acme", "TENANT_ACME_EFFICYKEY")).isTrue();
        assertThat(names.admits("acme-eu", "TENANT_ACME_EU_KEY")).isTrue();
        assertThat(names.admits("acme", "TENANT_ACME_")).isFalse();
        assertThat(names.admits("acme", "ACME_KEY")).isFalse();
        assertThat(names.admits("acme", "tenant_acme_key")).isFalse();
    }

    @Test
    void noTenantReachesAnothersNames() {
        assertThat(names.admits("acme", "TENANT_ACME_EU_KEY"))
                .as("acme-eu's key is not acme's")
                .isFalse();
        assertThat(names.admits("acme-eu", "TENANT_ACME_KEY")).isFalse();
        assertThat(names.admits("a", "TENANT_AB_KEY")).isFalse();
    }

    @Test
    void theNodesOwnKeysNeverResolveWhateverThePattern() {
        SecretNamespace wide = SecretNamespace.of("{TENANT}_*");
        assertThat(wide.admits("crmsync", "CRMSYNC_STRICT")).isFalse();
        assertThat(wide.admits("crmsync", "CRMSYNC_CLUSTER_PASSWORD")).isFalse();
        assertThat(wide.admits("crmsync", "CRMSYNC_OWNKEY")).isTrue();
    }

    @Test
    void aPatternWithoutTheTenantOrWithAnOpenEndIsRefusedNamingTheShape() {
        for (String bad : new String[] {"ACME_*", "{TENANT}*", "{TENANT}_KEY", "x{TENANT}_*", "*"}) {
            assertThatThrownBy(() -> SecretNamespace.of(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("{TENANT}_*");
        }
        assertThat(SecretNamespace.of("VAULT_{TENANT}_*").forTenant("acme-eu")).isEqualTo("VAULT_ACME_EU_*");
    }

    @Test
    void theNodeKeyParsesThePatternAndNamesItselfWhenItIsWrong() {
        Properties p = new Properties();
        p.setProperty("cluster.secretNames", "ACME_*");
        CrmsyncConfig config = CrmsyncConfig.of(p, name -> null);

        assertThatThrownBy(() -> config.get(ClusterKeys.SECRET_NAMES))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.secretNames");
        assertThat(CrmsyncConfig.of(new Properties(), name -> null)
                        .get(ClusterKeys.SECRET_NAMES)
                        .pattern())
                .isEqualTo(SecretNamespace.DEFAULT_PATTERN);
    }
}
